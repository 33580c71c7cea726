"""A campaign from the staff pages: written by one administrator, approved by another, sent by the worker."""

import datetime
import io
import os
import stat
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from recordaccess.audit.models import AuditEntry
from recordaccess.outreach.models import Campaign, LetterPrint, OutboxItem
from recordaccess.patients.models import Cohort
from recordaccess.practices.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.TASKS_BACKEND = "db"


def test_a_campaign_goes_from_draft_to_sent_through_the_staff_pages(
    client, practice, people, templates, db_tasks
):
    Cohort.objects.create(practice=practice, name="Adults", filters={}, created_by="t")
    author = factories.staff(practice, Role.ADMINISTRATOR, "pm.jones")
    approver = factories.staff(practice, Role.ADMINISTRATOR, "ig.lead")
    factories.sign_in(client, author)
    response = client.post(
        reverse("staff:campaign_new", kwargs={"ods": practice.ods_code}),
        {
            "name": "Launch",
            "cohort": Cohort.objects.get(name="Adults").pk,
            "sms_template": templates["sms"].pk,
            "email_template": templates["email"].pk,
            "letter_template": templates["letter"].pk,
            "skip_told_within_days": "30",
        },
    )
    campaign = Campaign.objects.get(name="Launch")
    page = client.get(response["Location"]).content.decode()
    assert "Everyone reached" in page and "No usable mobile, email address or postal address" in page
    assert 'id="sms-cost"' in page and "about £" in page
    refused = client.post(
        reverse(
            "staff:campaign_action", kwargs={"ods": "A81001", "campaign_id": campaign.pk, "action": "approve"}
        ),
        follow=True,
    )
    assert "Another administrator must approve" in refused.content.decode()

    factories.sign_in(client, approver)
    client.post(
        reverse(
            "staff:campaign_action", kwargs={"ods": "A81001", "campaign_id": campaign.pk, "action": "approve"}
        )
    )
    Campaign.objects.filter(pk=campaign.pk).update(
        window_start=datetime.time(0, 0), window_end=datetime.time(23, 59, 59), send_on_sundays=True
    )
    client.post(
        reverse(
            "staff:campaign_action", kwargs={"ods": "A81001", "campaign_id": campaign.pk, "action": "send"}
        )
    )
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay")

    campaign.refresh_from_db()
    assert campaign.status == "completed"
    assert OutboxItem.objects.count() == campaign.plan["recipients"] == 6
    outbox = client.get(reverse("staff:outbox", kwargs={"ods": "A81001"})).content.decode()
    assert "RA-" in outbox and "Riverside Surgery" in outbox
    assert AuditEntry.objects.filter(action="outbox.view", actor="ig.lead").exists()
    assert list(AuditEntry.objects.filter(object_type="campaign").values_list("action", flat=True)) == [
        "campaign.create",
        "campaign.approve",
        "campaign.send",
    ]

    # The letters went to the outbox: one PDF of them all is made in the background, with progress.
    kwargs = {"ods": "A81001", "campaign_id": campaign.pk}
    page = client.get(reverse("staff:campaign", kwargs=kwargs)).content.decode()
    assert "2 letters in the outbox" in page
    response = client.post(reverse("staff:letter_print_new", kwargs=kwargs))
    job = LetterPrint.objects.get(campaign=campaign)
    assert response["Location"] == reverse("staff:letter_print", kwargs={**kwargs, "print_id": job.pk})
    waiting = client.get(response["Location"]).content.decode()
    assert "data-progress" in waiting and 'of <span data-field="total">2</span> letters' in waiting
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay")
    status = client.get(reverse("staff:letter_print_status", kwargs={**kwargs, "print_id": job.pk})).json()
    assert status == {"status": "done", "percent": 100, "done": 2, "total": 2}
    job.refresh_from_db()  # names and addresses: open to the service's account only
    assert [stat.S_IMODE(os.stat(p).st_mode) for p in (job.path, Path(job.path).parent)] == [0o600, 0o700]
    pdf = client.get(reverse("staff:letter_print_pdf", kwargs={**kwargs, "print_id": job.pk}))
    reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    # Two one-page letters, each with a blank back page for double-sided printing.
    assert ["Reference: RA-" in page.extract_text() for page in reader.pages] == [True, False, True, False]
    assert AuditEntry.objects.filter(action="campaign.letters_download", actor="ig.lead").exists()

    # One letter from the outbox, as the patient will get it; opening it is audited against the patient.
    item = OutboxItem.objects.filter(message__channel="letter").first()
    one = client.get(reverse("staff:outbox_letter", kwargs={"ods": "A81001", "item_id": item.pk}))
    assert one["Content-Type"] == "application/pdf"
    assert item.message.reference in PdfReader(io.BytesIO(one.content)).pages[0].extract_text()
    assert AuditEntry.objects.filter(action="outbox.letter_view", patient_id=item.message.patient_id).exists()


def test_a_campaign_needs_at_least_one_approved_template(client, practice, templates):
    Cohort.objects.create(practice=practice, name="Adults", filters={}, created_by="t")
    factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR))
    page = client.post(
        reverse("staff:campaign_new", kwargs={"ods": practice.ods_code}),
        {"name": "Empty", "cohort": Cohort.objects.get().pk, "skip_told_within_days": "30"},
    ).content.decode()
    assert "Choose at least one approved template" in page


def test_there_is_nothing_to_print_before_letters_are_sent(client, practice, campaign):
    factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR))
    page = client.post(
        reverse("staff:letter_print_new", kwargs={"ods": "A81001", "campaign_id": campaign.pk}), follow=True
    ).content.decode()
    assert "There are no letters to print yet" in page
    assert not LetterPrint.objects.exists()
