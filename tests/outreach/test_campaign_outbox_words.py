"""A campaign whose messages went to the outbox (no Notify account) is never called sent (issue 13, H70)."""

import pytest
from django.urls import reverse

from recordaccess.outreach.models import Campaign, Message, MessageStatus, OutboxItem
from recordaccess.outreach.services import approve_campaign
from recordaccess.practices.roles import Role
from tests import factories
from tests.outreach.conftest import APPROVER

pytestmark = pytest.mark.django_db


def _sent(campaign, *, to_outbox: bool):
    """The campaign as the worker leaves it: every message handed over, and the campaign completed."""
    for message in campaign.messages.all():
        if to_outbox:
            OutboxItem.objects.create(message=message, to="x", body="y")
    campaign.messages.update(status=MessageStatus.SENT)
    Campaign.objects.filter(pk=campaign.pk).update(status="completed")


@pytest.fixture
def admin(client, practice):
    return factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR))


def test_a_campaign_recorded_in_the_outbox_says_so_and_never_sent(admin, campaign, practice):
    approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk)
    _sent(campaign, to_outbox=True)
    count = Message.objects.filter(campaign=campaign).count()
    page = admin.get(reverse("staff:campaign", kwargs={"ods": "A81001", "campaign_id": campaign.pk}))
    text = page.content.decode()
    status = text.split('id="campaign-status"')[1].split("</p>")[0]
    assert "Recorded in the outbox, not sent" in status and ">Sent<" not in status
    assert 'id="outbox-note"' in text and "no patient has received them" in text
    progress = text.split("<h2>Progress</h2>")[1].split("</dl>")[0]
    assert "Recorded in the outbox, not sent" in progress and f"{count:,}" in progress
    assert ">Sent<" not in progress and ">\n        Sent\n" not in progress
    listing = admin.get(reverse("staff:campaigns", kwargs={"ods": "A81001"})).content.decode()
    row = listing.split("Launch</a>")[1].split("</tr>")[0]
    assert "Recorded in the outbox, not sent" in row


def test_a_campaign_sent_through_notify_says_sent(admin, campaign, practice):
    approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk)
    _sent(campaign, to_outbox=False)
    page = admin.get(reverse("staff:campaign", kwargs={"ods": "A81001", "campaign_id": campaign.pk}))
    text = page.content.decode()
    assert "Sent" in text.split('id="campaign-status"')[1].split("</p>")[0]
    assert "Recorded in the outbox" not in text and 'id="outbox-note"' not in text
    listing = admin.get(reverse("staff:campaigns", kwargs={"ods": "A81001"})).content.decode()
    assert "Sent" in listing.split("Launch</a>")[1].split("</tr>")[0]
