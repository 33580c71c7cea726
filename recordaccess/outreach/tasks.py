import datetime
import time

from django.conf import settings
from django.db.models import Min
from django.tasks import task
from django.utils import timezone
from django.utils.module_loading import import_string

from recordaccess.outreach.models import Campaign, CampaignStatus, LetterPrint, MessageStatus
from recordaccess.outreach.ratelimit import seconds_to_next_window
from recordaccess.outreach.sending import (
    STUCK_AFTER,
    DailyLimitReached,
    reconcile,
    send_batch,
    within_window,
)
from recordaccess.outreach.services import make_letter_print_now


def message_channel():
    return import_string(settings.MESSAGE_CHANNEL)()


@task
def send_campaign(campaign_id: int) -> str:
    """Send in batches while the campaign is sending and the window is open; pick up again when it reopens."""
    channel = message_channel()
    campaign = Campaign.objects.select_related("practice").get(pk=campaign_id)
    reconcile(campaign, channel)
    while True:
        campaign.refresh_from_db(fields=["status"])
        if campaign.status != CampaignStatus.SENDING:
            return campaign.status
        if not within_window(campaign, timezone.now()):
            send_campaign.using(run_after=timezone.now() + datetime.timedelta(minutes=15)).enqueue(
                campaign_id
            )
            return "waiting for the sending window"
        try:
            sent = send_batch(campaign, channel, size=settings.SEND_BATCH_SIZE)
        except DailyLimitReached as limit:
            send_campaign.using(run_after=limit.resume_at).enqueue(campaign_id)
            return str(limit)
        if sent is None:  # the shared rate limit is used up for this window
            time.sleep(seconds_to_next_window())
            continue
        if not sent:
            if not campaign.messages.filter(
                status__in=(MessageStatus.QUEUED, MessageStatus.SENDING)
            ).exists():
                Campaign.objects.filter(pk=campaign_id, status=CampaignStatus.SENDING).update(
                    status=CampaignStatus.COMPLETED
                )
                return CampaignStatus.COMPLETED
            retry_at = (
                campaign.messages.filter(status=MessageStatus.QUEUED)
                .aggregate(first=Min("next_attempt_at"))
                .get("first")
            )
            if retry_at:
                send_campaign.using(run_after=retry_at).enqueue(campaign_id)
                return "waiting to retry messages that failed for now"
            # Another worker holds the rest; if it died, reconcile settles them on this later run.
            send_campaign.using(
                run_after=timezone.now() + STUCK_AFTER + datetime.timedelta(minutes=1)
            ).enqueue(campaign_id)
            return "waiting for messages another worker holds"


@task
def make_letter_print(print_id: int) -> str:
    """One PDF of a campaign's letters; the print page follows its progress on the LetterPrint row."""
    job = LetterPrint.objects.select_related("campaign__practice").get(pk=print_id)
    return make_letter_print_now(job).status
