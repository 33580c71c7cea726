import pytest
from django.urls import reverse

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
    assert "Riverside Surgery: You can now see new entries" in page
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
