"""The questions page is signposted wherever a patient meets the practice: its start page, its website notice,
its posters, the resources every message lists, and the line that ends every message the service writes."""

import io

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from recordaccess.audit.services import Actor
from recordaccess.intake import acknowledge
from recordaccess.intake.models import AccessRequest
from recordaccess.outreach.content import PRIVATE_WORDS
from recordaccess.outreach.messages import sms_length
from recordaccess.outreach.models import MessageTemplate
from recordaccess.outreach.selectors import nhs_help, poster_values, questions_link, sample_values
from recordaccess.outreach.services import approve_template, install_default_templates
from recordaccess.practices.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db
LINK = "/p/A81001/questions/"


def test_the_start_page_links_the_questions_page(client, practice):
    assert f'href="{LINK}"' in client.get("/p/A81001/").content.decode()


def test_the_website_notice_links_the_questions_page(client, practice):
    install_default_templates(actor=Actor.system("t"), practice=practice)
    website = MessageTemplate.objects.get(practice=practice, channel="website", purpose="announcement")
    approve_template(actor=Actor.system("t"), practice=practice, template_id=website.pk)
    assert f'href="{LINK}"' in client.get("/p/A81001/online-access/").content.decode()


def test_every_message_the_service_writes_ends_with_the_questions_page(practice):
    practice.name, practice.phone = "The Riverside and Meadowbank Family Medical Practice", "0113 496 0123"
    assert questions_link(practice) == f"{settings.PUBLIC_BASE_URL}{LINK}"
    assert questions_link(practice) in nhs_help(practice)
    request = AccessRequest(practice=practice, reference="abcd2345", contact_by="sms", mobile="07700900001")
    text = acknowledge.wording(request)
    assert questions_link(practice) in text
    assert sms_length(text).fragments <= 3 and not PRIVATE_WORDS.search(text)


def test_the_resources_list_in_messages_names_the_questions_page(practice):
    practice.resources.all().delete()  # none chosen: the messages still ask the practice to choose some
    assert sample_values(practice, "https://riverside.example")["resources"] == ""
    practice.resources.create(title="NHS App help", url="https://www.nhs.uk/nhs-app/")
    listed = sample_values(practice, "https://riverside.example")["resources"].splitlines()
    assert listed == [
        "- NHS App help: https://www.nhs.uk/nhs-app/",
        "- Your questions answered: https://riverside.example/p/A81001/questions/",
    ]
    on_a_wall = poster_values(practice, "https://riverside.example")["resources"].splitlines()
    assert on_a_wall == ["- NHS App help", "- Your questions answered: on our website"]


def test_the_poster_gives_the_questions_page_address(client, practice, settings):
    settings.PUBLIC_BASE_URL = "https://riverside.example"
    install_default_templates(actor=Actor.system("t"), practice=practice)
    factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR))
    poster = MessageTemplate.objects.get(practice=practice, channel="poster", purpose="announcement")
    pdf = client.get(reverse("staff:template_poster", kwargs={"ods": "A81001", "template_id": poster.pk}))
    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 1
    assert "https://riverside.example/p/A81001/questions/" in "".join(reader.pages[0].extract_text().split())
