"""The practice records the date online access starts, and messages say it: never "the day we turn it on"."""

import datetime

import pytest
from django.conf import settings

from recordaccess.audit.services import Actor
from recordaccess.outreach.channels import OutboxChannel
from recordaccess.outreach.defaults import defaults_for
from recordaccess.outreach.models import OutboxItem
from recordaccess.outreach.selectors import sample_values
from recordaccess.outreach.sending import send_batch
from recordaccess.outreach.services import CampaignError, approve_campaign
from recordaccess.practices.services import update_practice
from tests.outreach.conftest import APPROVER

pytestmark = pytest.mark.django_db
MANAGER = Actor(3, "pm.jones")


@pytest.mark.parametrize("approach", ["opt_out", "hybrid"])
def test_no_default_says_access_is_on_already_and_each_opt_out_default_names_the_start_date(approach):
    for template in defaults_for(approach):
        assert "You can now see" not in template.body
        if template.purpose == "announcement" and not template.higher_risk:
            assert "((start date))" in template.body, template.name


@pytest.fixture
def practice(practice):
    """A practice that has not decided its go-live date yet."""
    return update_practice(actor=MANAGER, practice=practice, go_live_on=None)


def test_the_start_date_is_the_go_live_date_the_practice_recorded(practice):
    assert sample_values(practice, settings.PUBLIC_BASE_URL)["start date"] == ""
    update_practice(actor=MANAGER, practice=practice, go_live_on=datetime.date(2026, 3, 2))
    assert sample_values(practice, settings.PUBLIC_BASE_URL)["start date"] == "2 March 2026"


def test_a_campaign_that_names_the_start_date_is_not_approved_until_the_go_live_date_is_recorded(
    practice, campaign
):
    with pytest.raises(CampaignError, match="Record the date online access starts"):
        approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk)
    update_practice(actor=MANAGER, practice=practice, go_live_on=datetime.date(2026, 3, 2))
    approved = approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk)
    while send_batch(approved, OutboxChannel()):
        pass
    bodies = list(OutboxItem.objects.values_list("body", flat=True))
    assert bodies and all("2 March 2026" in body for body in bodies)
    assert not any("the day we turn it on" in body or "You can now see" in body for body in bodies)
