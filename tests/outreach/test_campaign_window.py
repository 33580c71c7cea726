"""The sending window (issue 13): seen on the campaign page, set by administrators while a campaign is a draft or
paused, and after Send the page says when sending starts. No test depends on the hour or the weekday: `now` is
passed in, or frozen."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from recordaccess.audit.models import AuditEntry
from recordaccess.outreach.models import Campaign
from recordaccess.outreach.sending import when_sending_starts, window_opens
from recordaccess.outreach.services import CampaignError, approve_campaign, set_campaign_window
from recordaccess.practices.roles import Role
from tests import factories
from tests.outreach.conftest import APPROVER, AUTHOR

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(*parts) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=LONDON)


def _window(campaign, start="08:00", end="20:00", sundays=False):
    campaign.window_start = datetime.time.fromisoformat(start)
    campaign.window_end = datetime.time.fromisoformat(end)
    campaign.send_on_sundays = sundays
    return campaign


def test_outside_the_window_sending_starts_at_the_next_opening_skipping_sunday(campaign):
    _window(campaign)
    saturday_night = at(2026, 11, 28, 21, 0)
    assert window_opens(campaign, saturday_night) == at(2026, 11, 30, 8, 0)
    assert when_sending_starts(campaign, saturday_night) == "Sending starts at 08:00 on Monday 30 November."
    early_tuesday = at(2026, 12, 1, 6, 30)
    assert when_sending_starts(campaign, early_tuesday) == "Sending starts at 08:00 on Tuesday 1 December."
    inside = at(2026, 12, 1, 9, 0)
    assert window_opens(campaign, inside) == inside and when_sending_starts(campaign, inside) == ""


def test_a_campaign_that_sends_on_sundays_starts_on_sunday(campaign):
    _window(campaign, "09:30", "17:00", sundays=True)
    assert (
        when_sending_starts(campaign, at(2026, 11, 28, 21, 0))
        == "Sending starts at 09:30 on Sunday 29 November."
    )


def test_an_administrator_sets_the_window_of_a_draft_and_it_is_audited(campaign, practice):
    set_campaign_window(
        actor=AUTHOR,
        practice=practice,
        campaign_id=campaign.pk,
        start=datetime.time(9, 0),
        end=datetime.time(17, 30),
        send_on_sundays=True,
    )
    campaign.refresh_from_db()
    assert (campaign.window_start, campaign.window_end, campaign.send_on_sundays) == (
        datetime.time(9, 0),
        datetime.time(17, 30),
        True,
    )
    assert AuditEntry.objects.filter(action="campaign.window", object_id=str(campaign.pk)).exists()


def test_the_window_must_start_before_it_ends_and_is_fixed_once_approved(campaign, practice):
    with pytest.raises(CampaignError, match="start before it ends"):
        set_campaign_window(
            actor=AUTHOR,
            practice=practice,
            campaign_id=campaign.pk,
            start=datetime.time(20, 0),
            end=datetime.time(8, 0),
            send_on_sundays=False,
        )
    approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk)
    with pytest.raises(CampaignError, match="cannot be given new sending hours"):
        set_campaign_window(
            actor=AUTHOR,
            practice=practice,
            campaign_id=campaign.pk,
            start=datetime.time(9, 0),
            end=datetime.time(17, 0),
            send_on_sundays=False,
        )


@pytest.fixture
def admin(client, practice):
    return factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR, "ig.lead"))


def test_the_campaign_page_shows_the_window_and_a_form_to_change_it(admin, campaign):
    url = reverse("staff:campaign", kwargs={"ods": "A81001", "campaign_id": campaign.pk})
    page = admin.get(url).content.decode()
    assert "Messages go out between 08:00 and 20:00, Monday to Saturday (not on Sundays)" in page
    assert 'name="window_start"' in page
    window = reverse("staff:campaign_window", kwargs={"ods": "A81001", "campaign_id": campaign.pk})
    refused = admin.post(window, {"window_start": "18:00", "window_end": "09:15"})
    assert refused.status_code == 400
    assert "The time sending stops must be after the time it starts" in refused.content.decode()
    refused = admin.post(window, {"window_start": "9am", "window_end": "17:00"})
    assert "Enter a time like 08:00" in refused.content.decode()
    admin.post(window, {"window_start": "09:15", "window_end": "17:45", "send_on_sundays": "on"})
    page = admin.get(url).content.decode()
    assert "Messages go out between 09:15 and 17:45, every day, Sundays included" in page


def test_send_outside_the_window_says_when_sending_starts(admin, campaign, practice, monkeypatch):
    approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk)
    saturday_night = at(2026, 11, 28, 21, 0)
    monkeypatch.setattr(timezone, "now", lambda: saturday_night)
    kwargs = {"ods": "A81001", "campaign_id": campaign.pk}
    page = admin.post(
        reverse("staff:campaign_action", kwargs={**kwargs, "action": "send"}), follow=True
    ).content.decode()
    assert "Sending starts at 08:00 on Monday 30 November." in page
    assert "inside the sending window only, between 08:00 and 20:00, Monday to Saturday" in page
    assert Campaign.objects.get(pk=campaign.pk).status == "sending"
