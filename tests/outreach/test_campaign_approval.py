"""Approving a campaign (issue 13): the author sees no Approve button, the approver reads each channel's message
for a sample patient, drafts can be changed and deleted, and an approved campaign can be scheduled."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from recordaccess.audit.models import AuditEntry
from recordaccess.outreach.models import Campaign, CampaignStatus
from recordaccess.outreach.services import (
    CampaignError,
    approve_campaign,
    delete_campaign,
    schedule_campaign,
    start_scheduled,
    update_campaign,
)
from recordaccess.outreach.tasks import PERIODIC_TASKS, resume_stalled_campaigns
from recordaccess.practices.models import Dpia
from recordaccess.practices.roles import Role
from tests import factories
from tests.outreach.conftest import APPROVER, AUTHOR

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 11, 28, 21, 0, tzinfo=LONDON)


def _page(client, campaign) -> str:
    return client.get(
        reverse("staff:campaign", kwargs={"ods": "A81001", "campaign_id": campaign.pk})
    ).content.decode()


def test_the_author_sees_no_approve_button_and_is_told_why(client, practice, campaign):
    factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR, AUTHOR.name))
    page = _page(client, campaign)
    assert "Approve this campaign" not in page
    assert "Another administrator must approve this campaign: you wrote it." in page
    assert "Change this draft" in page


def test_the_approver_reads_each_channels_message_for_a_sample_patient(client, practice, campaign, templates):
    factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR, APPROVER.name))
    page = _page(client, campaign)
    assert "Approve this campaign" in page and "Change this draft" not in page
    assert page.count('class="nhsuk-card campaign-preview"') == 3
    for template in templates.values():
        assert template.name in page
    assert "Sam" in page and "Riverside Surgery" in page  # the sample patient's message, filled in


def test_only_the_author_changes_a_draft_and_its_recipients_are_worked_out_again(
    practice, campaign, templates
):
    with pytest.raises(CampaignError, match="Only the administrator who wrote this draft"):
        update_campaign(
            actor=APPROVER,
            practice=practice,
            campaign_id=campaign.pk,
            name="Mine now",
            cohort=campaign.cohort,
            templates={"sms": templates["sms"]},
            skip_told_within_days=30,
        )
    changed = update_campaign(
        actor=AUTHOR,
        practice=practice,
        campaign_id=campaign.pk,
        name="Launch by text",
        cohort=campaign.cohort,
        templates={"sms": templates["sms"]},
        skip_told_within_days=0,
    )
    assert (changed.name, changed.email_template, changed.letter_template) == ("Launch by text", None, None)
    assert changed.plan["by_channel"]["email"] == changed.plan["by_channel"]["letter"] == 0
    assert AuditEntry.objects.filter(action="campaign.update").exists()


def test_the_author_changes_a_draft_through_its_page(client, practice, campaign, templates):
    factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR, AUTHOR.name))
    url = reverse("staff:campaign_edit", kwargs={"ods": "A81001", "campaign_id": campaign.pk})
    assert 'value="Launch"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "name": "Launch again",
            "cohort": campaign.cohort_id,
            "sms_template": templates["sms"].pk,
            "skip_told_within_days": "30",
        },
    )
    assert response.status_code == 302
    assert Campaign.objects.get(pk=campaign.pk).name == "Launch again"


def test_a_draft_can_be_deleted_but_an_approved_campaign_cannot(client, practice, campaign):
    approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk)
    with pytest.raises(CampaignError, match="cannot be deleted"):
        delete_campaign(actor=AUTHOR, practice=practice, campaign_id=campaign.pk)
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.DRAFT)
    campaign.messages.all().delete()
    factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR, AUTHOR.name))
    client.post(
        reverse(
            "staff:campaign_action", kwargs={"ods": "A81001", "campaign_id": campaign.pk, "action": "delete"}
        )
    )
    assert not Campaign.objects.filter(pk=campaign.pk).exists()
    assert AuditEntry.objects.filter(action="campaign.delete").exists()


def test_a_scheduled_campaign_starts_by_itself_when_its_time_comes(practice, campaign):
    approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk)
    with pytest.raises(CampaignError, match="in the future"):
        schedule_campaign(
            actor=APPROVER,
            practice=practice,
            campaign_id=campaign.pk,
            at=NOW - datetime.timedelta(hours=1),
            now=NOW,
        )
    when = NOW + datetime.timedelta(days=2)
    schedule_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk, at=when, now=NOW)
    assert start_scheduled(now=when - datetime.timedelta(minutes=1)) == []
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.APPROVED
    assert start_scheduled(now=when) == [campaign.pk]
    campaign.refresh_from_db()
    assert (campaign.status, campaign.scheduled_for) == (CampaignStatus.SENDING, None)
    assert AuditEntry.objects.filter(action="campaign.send", actor="schedule").exists()


def test_the_heartbeat_starts_a_scheduled_campaign(practice, campaign, monkeypatch):
    approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk)
    when = NOW + datetime.timedelta(days=2)
    schedule_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk, at=when, now=NOW)
    monkeypatch.setattr(timezone, "now", lambda: when)
    assert resume_stalled_campaigns in PERIODIC_TASKS
    resume_stalled_campaigns.call()
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.SENDING


def test_a_scheduled_campaign_does_not_start_if_the_practice_is_no_longer_ready(practice, campaign):
    approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk)
    when = NOW + datetime.timedelta(days=2)
    schedule_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk, at=when, now=NOW)
    Dpia.objects.filter(practice=practice).delete()
    assert start_scheduled(now=when) == []
    campaign.refresh_from_db()
    assert (campaign.status, campaign.scheduled_for) == (CampaignStatus.APPROVED, None)
    assert campaign.schedule_note.startswith("Did not start at the scheduled time")
    assert AuditEntry.objects.filter(action="campaign.schedule_missed").exists()


def test_a_schedule_is_shown_and_can_be_cancelled(client, practice, campaign, monkeypatch):
    approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk)
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR, APPROVER.name))
    kwargs = {"ods": "A81001", "campaign_id": campaign.pk}
    refused = client.post(
        reverse("staff:campaign_schedule", kwargs=kwargs), {"day_day": "1", "time": "09:00"}
    )
    assert (
        refused.status_code == 400 and "The date must include a month and a year" in refused.content.decode()
    )
    client.post(
        reverse("staff:campaign_schedule", kwargs=kwargs),
        {"day_day": "1", "day_month": "12", "day_year": "2026", "time": "09:30"},
    )
    campaign.refresh_from_db()
    assert campaign.scheduled_for == datetime.datetime(2026, 12, 1, 9, 30, tzinfo=LONDON)
    page = _page(client, campaign)
    assert 'id="campaign-schedule"' in page and "Cancel the schedule" in page
    client.post(reverse("staff:campaign_action", kwargs={**kwargs, "action": "unschedule"}))
    campaign.refresh_from_db()
    assert campaign.scheduled_for is None
    assert AuditEntry.objects.filter(action="campaign.unschedule").exists()
