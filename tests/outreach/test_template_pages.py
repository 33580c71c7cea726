import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from recordaccess.audit.models import AuditEntry
from recordaccess.outreach.models import MessageTemplate
from recordaccess.practices.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, practice):
    factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR, "pm.jones"))
    client.post(reverse("staff:template_install", kwargs={"ods": practice.ods_code}))
    return client


def _sms(practice):
    return MessageTemplate.objects.get(practice=practice, channel="sms", purpose="announcement")


def test_a_default_text_shows_its_preview_length_and_can_be_approved(admin, practice):
    sms = _sms(practice)
    url = reverse("staff:template", kwargs={"ods": practice.ods_code, "template_id": sms.pk})
    page = admin.get(url).content.decode()
    assert "Riverside Surgery: You can see new entries in your GP record online from 2 March 2026" in page
    assert 'id="sms-length"' in page and "(GSM-7)" in page
    assert "Before this can be approved" not in page
    admin.post(reverse("staff:template_approve", kwargs={"ods": practice.ods_code, "template_id": sms.pk}))
    assert MessageTemplate.objects.get(pk=sms.pk).status == "approved"


def test_a_text_with_clinical_words_lists_what_to_change_and_cannot_be_approved(admin, practice):
    sms = _sms(practice)
    url = reverse("staff:template", kwargs={"ods": practice.ods_code, "template_id": sms.pk})
    admin.post(url, {"body": "Dear ((first name)), your test results and diagnosis 🙂"})
    page = admin.get(url).content.decode()
    assert "Before this can be approved" in page
    assert "take out &#39;diagnosis&#39;, &#39;test results&#39;" in page
    assert "These characters make it a Unicode message" in page
    response = admin.post(
        reverse("staff:template_approve", kwargs={"ods": practice.ods_code, "template_id": sms.pk}),
        follow=True,
    )
    assert "This template cannot be approved yet" in response.content.decode()
    assert MessageTemplate.objects.get(pk=sms.pk).status == "draft"


def test_a_missing_placeholder_value_shows_in_the_preview_not_a_blank(admin, practice):
    sms = _sms(practice)
    url = reverse("staff:template", kwargs={"ods": practice.ods_code, "template_id": sms.pk})
    admin.post(url, {"body": "Hello ((nickname))"})
    assert "No value for ((nickname))" in admin.get(url).content.decode()


def test_script_in_a_template_comes_back_escaped(admin, practice):
    sms = _sms(practice)
    url = reverse("staff:template", kwargs={"ods": practice.ods_code, "template_id": sms.pk})
    admin.post(url, {"body": "<script>alert(1)</script> ((first name))"})
    page = admin.get(url).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_preview_with_a_real_patients_details_is_audited(client, practice, templates, people):
    factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR))
    letter = templates["letter"]
    url = reverse("staff:template", kwargs={"ods": practice.ods_code, "template_id": letter.pk})
    patient = people["letter"]
    page = client.get(url, {"nhs_number": patient.nhs_number}).content.decode()
    assert f"Preview for {patient}" in page and f"Dear {patient}," in page
    assert AuditEntry.objects.filter(action="template.preview", patient_id=patient.pk).exists()
    missing = client.get(url, {"nhs_number": "9434765919"}).content.decode()
    assert "There is no patient with that NHS number at this practice." in missing

    pdf_url = reverse("staff:template_letter", kwargs={"ods": practice.ods_code, "template_id": letter.pk})
    pdf = client.get(pdf_url, {"nhs_number": patient.nhs_number, "large_print": "1"})
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert f"{patient.given_name} {patient.family_name}\n3 St\nLS1 4AP" in text
    sample = PdfReader(io.BytesIO(client.get(pdf_url).content)).pages[0].extract_text()
    assert "Sam Patient" in sample
