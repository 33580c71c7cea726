"""Templates (issue 13): an administrator cannot approve their own edit (four eyes, as for campaigns, H69), and
the text message counter is counted by the server as the page is typed in."""

import pytest
from django.urls import reverse

from recordaccess.audit.services import Actor
from recordaccess.outreach.messages import TemplateError
from recordaccess.outreach.models import MessageTemplate
from recordaccess.outreach.services import approve_template, install_default_templates, save_template
from recordaccess.practices.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db
EDITOR, OTHER = Actor(1, "pm.jones"), Actor(2, "ig.lead")


def _sms(practice):
    return MessageTemplate.objects.get(practice=practice, channel="sms", purpose="announcement")


def test_whoever_edited_a_template_cannot_approve_it(practice):
    install_default_templates(actor=EDITOR, practice=practice)
    sms = _sms(practice)
    save_template(actor=EDITOR, practice=practice, template_id=sms.pk, subject="", body=sms.body + " Thanks.")
    with pytest.raises(TemplateError, match="Another administrator must approve this template"):
        approve_template(actor=EDITOR, practice=practice, template_id=sms.pk)
    assert _sms(practice).status == "draft"
    approved = approve_template(actor=OTHER, practice=practice, template_id=sms.pk)
    assert (approved.status, approved.approved_by, approved.edited_by) == ("approved", "ig.lead", "pm.jones")


def test_the_approve_button_is_hidden_from_the_editor_and_shown_to_another(client, practice):
    editor = factories.staff(practice, Role.ADMINISTRATOR, "pm.jones")
    factories.sign_in(client, editor)
    client.post(reverse("staff:template_install", kwargs={"ods": practice.ods_code}))
    sms = _sms(practice)
    url = reverse("staff:template", kwargs={"ods": practice.ods_code, "template_id": sms.pk})
    client.post(url, {"body": sms.body + " Thanks."})
    page = client.get(url).content.decode()
    assert "Approve this template" not in page and 'id="approve-someone-else"' in page
    refused = client.post(
        reverse("staff:template_approve", kwargs={"ods": practice.ods_code, "template_id": sms.pk}),
        follow=True,
    )
    assert "you made the last change to its words" in refused.content.decode()
    factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR, "ig.lead"))
    assert "Approve this template" in client.get(url).content.decode()


def test_the_counter_asks_the_server_for_the_length_with_the_sample_values(client, practice):
    factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR))
    install_default_templates(actor=EDITOR, practice=practice)
    sms = _sms(practice)
    page = client.get(reverse("staff:template", kwargs={"ods": practice.ods_code, "template_id": sms.pk}))
    text = page.content.decode()
    assert "sms-length.js" in text and "data-length-url" in text
    url = reverse("staff:template_length", kwargs={"ods": practice.ods_code, "template_id": sms.pk})
    length = client.get(url, {"body": "Hello ((first name)) from ((practice name))"}).json()
    assert length == {  # "Hello Sam from Riverside Surgery"
        "characters": 32,
        "fragments": 1,
        "encoding": "GSM-7",
        "unicode_characters": [],
        "too_long": False,
    }
    assert client.get(url, {"body": "Hi 🙂"}).json()["encoding"] == "Unicode"
    assert "((nickname))" in client.get(url, {"body": "Hi ((nickname))"}).json()["error"]


def test_the_counter_is_the_practices_own(client, practice, other_practice):
    factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR))
    install_default_templates(actor=EDITOR, practice=other_practice)
    theirs = _sms(other_practice)
    url = reverse("staff:template_length", kwargs={"ods": practice.ods_code, "template_id": theirs.pk})
    assert client.get(url, {"body": "Hi"}).status_code == 404
