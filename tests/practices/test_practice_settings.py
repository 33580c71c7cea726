import datetime
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from recordaccess.audit.models import AuditEntry
from recordaccess.practices.defaults import SIGNPOSTING_RESOURCES
from recordaccess.practices.models import Practice
from recordaccess.practices.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, practice):
    return factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR))


def test_add_practice_creates_it_with_an_empty_dpia_and_the_nhs_resources(capsys):
    call_command("add_practice", "a81001", "Riverside Surgery", "--approach", "opt_in", "--json")
    assert json.loads(capsys.readouterr().out) == {
        "ods_code": "A81001",
        "name": "Riverside Surgery",
        "approach": "opt_in",
    }
    practice = Practice.objects.get(ods_code="A81001")
    assert practice.approach == "opt_in"
    assert not practice.dpia.is_recorded
    assert [r.title for r in practice.resources.all()] == [title for title, _ in SIGNPOSTING_RESOURCES]
    assert AuditEntry.objects.filter(action="practice.create", practice_ods="A81001").exists()


@pytest.mark.parametrize("ods", ["A8100", "181001", "AB1001", "A810011", ""])
def test_add_practice_refuses_an_ods_code_that_is_not_a_letter_and_five_digits(ods):
    with pytest.raises(CommandError, match="one letter then five digits") as failure:
        call_command("add_practice", ods, "Somewhere")
    assert failure.value.returncode == 2
    assert not Practice.objects.exists()


def test_add_practice_refuses_a_second_practice_with_the_same_code(practice):
    with pytest.raises(CommandError, match="already exists"):
        call_command("add_practice", practice.ods_code, "Copy")


def test_an_administrator_changes_the_practice_and_the_change_is_audited(admin_client, practice):
    url = reverse("staff:practice_edit", kwargs={"ods": practice.ods_code})
    response = admin_client.post(
        url,
        {
            "name": "Riverside Surgery",
            "address": "1 High Street\nLeeds\nLS1 4AP",
            "phone": "0113 496 0000",
            "website": "https://riverside.example",
            "approach": "hybrid",
        },
    )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.approach == "hybrid"
    entry = AuditEntry.objects.filter(action="practice.update").get()
    assert json.loads(entry.detail)["approach"] == ["opt_out", "hybrid"]


def test_a_bad_website_gets_a_specific_error(admin_client, practice):
    url = reverse("staff:practice_edit", kwargs={"ods": practice.ods_code})
    response = admin_client.post(url, {"name": "R", "website": "not a url", "approach": "opt_out"})
    assert "Enter the website" in response.content.decode()
    assert "There is a problem" in response.content.decode()


def test_dpo_advice_overruled_needs_a_reason(admin_client, practice):
    url = reverse("staff:dpia_edit", kwargs={"ods": practice.ods_code})
    response = admin_client.post(url, {"reference": "DPIA-1", "dpo_advice_outcome": "overruled"})
    assert "Say why the DPO" in response.content.decode()


def test_the_dpia_review_date_must_follow_its_completion(admin_client, practice):
    url = reverse("staff:dpia_edit", kwargs={"ods": practice.ods_code})
    response = admin_client.post(
        url, {"reference": "DPIA-1", "completed_on": "2023-10-06", "review_on": "2023-01-01"}
    )
    assert "The review date must be after" in response.content.decode()


def test_a_recorded_dpia_is_named_on_the_public_start_page(admin_client, client, practice):
    url = reverse("staff:dpia_edit", kwargs={"ods": practice.ods_code})
    admin_client.post(
        url,
        {
            "reference": "RS-DPIA-2023",
            "completed_on": "2023-10-06",
            "dpo_advice_outcome": "accepted",
            "residual_risk": "high",
            "review_on": "2024-10-06",
        },
    )
    practice.dpia.refresh_from_db()
    assert practice.dpia.needs_ico_consultation
    dashboard = admin_client.get(
        reverse("staff:dashboard", kwargs={"ods": practice.ods_code})
    ).content.decode()
    assert "prior consultation with the ICO" in dashboard
    admin_client.post(reverse("staff:sign_out"))
    page = client.get(reverse("intake:start", kwargs={"ods": practice.ods_code})).content.decode()
    assert "RS-DPIA-2023" in page and "6 October 2023" in page


def test_resources_are_added_and_removed_with_audit(admin_client, practice):
    url = reverse("staff:resources", kwargs={"ods": practice.ods_code})
    admin_client.post(url, {"title": "Our leaflet", "url": "https://riverside.example/leaflet"})
    resource = practice.resources.get(title="Our leaflet")
    admin_client.post(
        reverse("staff:resource_delete", kwargs={"ods": practice.ods_code, "resource_id": resource.pk})
    )
    assert not practice.resources.filter(title="Our leaflet").exists()
    assert list(AuditEntry.objects.filter(object_type="resource").values_list("action", flat=True)) == [
        "resource.add",
        "resource.remove",
    ]


def test_removing_another_practices_resource_is_refused(admin_client, practice, other_practice):
    foreign = other_practice.resources.first()
    admin_client.post(
        reverse("staff:resource_delete", kwargs={"ods": practice.ods_code, "resource_id": foreign.pk})
    )
    assert other_practice.resources.filter(pk=foreign.pk).exists()


@pytest.mark.parametrize(
    ("approach", "wording"),
    [
        ("opt_in", "you need to ask us"),
        ("opt_out", "If you do not want to see your record online, you can tell us"),
        ("hybrid", "Some patients need to ask us first"),
    ],
)
def test_the_public_start_page_says_plainly_what_the_approach_means(client, approach, wording):
    practice = factories.practice("C83003", approach=approach)
    page = client.get(reverse("intake:start", kwargs={"ods": practice.ods_code})).content.decode()
    assert wording in page
    assert "nhsuk-frontend.min.css" in page
    assert "Commonly found abbreviations in medical records" in page


def test_an_unknown_practice_has_no_public_page(client):
    assert client.get("/p/Z99999/").status_code == 404


def test_public_pages_carry_a_content_security_policy(client, practice):
    response = client.get(reverse("intake:start", kwargs={"ods": practice.ods_code}))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert f'<script nonce="{nonce}">' in response.content.decode()


def test_a_dpia_completed_in_the_future_is_refused(admin_client, practice):
    url = reverse("staff:dpia_edit", kwargs={"ods": practice.ods_code})
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = admin_client.post(url, {"reference": "DPIA-1", "completed_on": tomorrow.isoformat()})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The date the DPIA was completed must be today or in the past" in page
    practice.dpia.refresh_from_db()
    assert practice.dpia.completed_on != tomorrow


def test_a_dpia_completed_today_is_accepted(admin_client, practice):
    url = reverse("staff:dpia_edit", kwargs={"ods": practice.ods_code})
    today = timezone.localdate()
    admin_client.post(url, {"reference": "DPIA-1", "completed_on": today.isoformat()})
    practice.dpia.refresh_from_db()
    assert practice.dpia.completed_on == today


def test_a_passed_review_date_warns_on_the_practice_page(admin_client, practice):
    today = timezone.localdate()
    url = reverse("staff:dpia_edit", kwargs={"ods": practice.ods_code})
    page_url = reverse("staff:practice", kwargs={"ods": practice.ods_code})
    admin_client.post(
        url,
        {
            "reference": "DPIA-1",
            "completed_on": (today - datetime.timedelta(days=400)).isoformat(),
            "review_on": (today + datetime.timedelta(days=30)).isoformat(),
        },
    )
    assert "review is overdue" not in admin_client.get(page_url).content.decode()
    admin_client.post(
        url,
        {
            "reference": "DPIA-1",
            "completed_on": (today - datetime.timedelta(days=400)).isoformat(),
            "review_on": (today - datetime.timedelta(days=1)).isoformat(),
        },
    )
    practice.dpia.refresh_from_db()
    assert practice.dpia.review_on == today - datetime.timedelta(days=1)
    assert "review is overdue" in admin_client.get(page_url).content.decode()
