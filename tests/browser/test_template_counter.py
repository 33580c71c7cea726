"""The text message template's length follows the words as an administrator types (issue 13), counted by the
server with the sample values filled in; without JavaScript it is counted on save."""

import pytest
from playwright.sync_api import expect

from recordaccess.audit.services import Actor
from recordaccess.outreach.models import MessageTemplate
from recordaccess.outreach.services import install_default_templates
from recordaccess.practices.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_text_counter_updates_as_you_type(page, live_server, sign_in_as):
    practice = factories.practice("A81001", name="Riverside Surgery")
    install_default_templates(actor=Actor.system("tests"), practice=practice)
    sms = MessageTemplate.objects.get(practice=practice, channel="sms", purpose="announcement")
    sign_in_as(factories.staff(practice, Role.ADMINISTRATOR))

    page.goto(f"/staff/p/A81001/templates/{sms.pk}/")
    count = page.locator("#sms-length-count")
    expect(count).to_contain_text("with the sample values")
    page.get_by_label("Message").fill("Hello ((first name)) from ((practice name))")  # Sam, Riverside Surgery
    expect(count).to_have_text("32 characters, 1 text message (GSM-7) with the sample values, as you type.")
    page.get_by_label("Message").fill("x" * 161)
    expect(count).to_contain_text("161 characters, 2 text messages (GSM-7)")
