import datetime
import time

from django.conf import settings
from django.db.models import Exists, Min, OuterRef
from django.tasks import task
from django.utils import timezone
from django.utils.module_loading import import_string

from recordaccess.outreach.models import Campaign, CampaignStatus, LetterPrint, Message, MessageStatus
from recordaccess.outreach.ratelimit import seconds_to_next_window
from recordaccess.outreach.sending import (
    DailyLimitReached,
    reconcile,
    send_batch,
    stuck_after,
    within_window,
)
from recordaccess.outreach.services import make_letter_print_now

UNSETTLED = (MessageStatus.QUEUED, MessageStatus.SENDING)


def message_channel():
    return import_string(settings.MESSAGE_CHANNEL)()


def _again(campaign_id: int, at: datetime.datetime, why: str) -> str:
    """Put the sending off until `at`, and say so on the campaign, so the watcher knows it is not stalled."""
    Campaign.objects.filter(pk=campaign_id).update(next_run_at=at)
    send_campaign.using(run_after=at).enqueue(campaign_id)
    return why


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
        now = timezone.now()
        if not within_window(campaign, now):
            return _again(campaign_id, now + datetime.timedelta(minutes=15), "waiting for the sending window")
        try:
            sent = send_batch(campaign, channel, size=settings.SEND_BATCH_SIZE)
        except DailyLimitReached as limit:
            return _again(campaign_id, limit.resume_at, str(limit))
        if sent is None:  # the shared rate limit is used up for this window
            time.sleep(seconds_to_next_window())
            continue
        if not sent:
            unsettled = campaign.messages.filter(status__in=UNSETTLED)
            if not unsettled.exists():
                Campaign.objects.filter(pk=campaign_id, status=CampaignStatus.SENDING).update(
                    status=CampaignStatus.COMPLETED, next_run_at=None
                )
                return CampaignStatus.COMPLETED
            retry_at = unsettled.filter(status=MessageStatus.QUEUED).aggregate(first=Min("next_attempt_at"))
            if retry_at["first"]:
                return _again(campaign_id, retry_at["first"], "waiting to retry messages that failed for now")
            # Another worker holds the rest; if it died, reconcile settles them on this later run.
            return _again(campaign_id, now + stuck_after(), "waiting for messages another worker holds")


@task
def resume_stalled_campaigns() -> list[int]:
    """Run by every worker's heartbeat: a campaign still sending, with nothing put off and no message touched
    for the stuck time, lost its worker (killed, or the machine went down). Start sending it again; the new run
    settles that worker's messages by reference before sending anything."""
    cutoff = timezone.now() - stuck_after()
    recent = Message.objects.filter(campaign=OuterRef("pk"), updated_at__gte=cutoff)
    unsettled = Message.objects.filter(campaign=OuterRef("pk"), status__in=UNSETTLED)
    stalled = list(
        Campaign.objects.filter(status=CampaignStatus.SENDING)
        .exclude(next_run_at__gte=cutoff)
        .filter(Exists(unsettled), ~Exists(recent))
        .values_list("pk", flat=True)
    )
    for campaign_id in stalled:
        _again(campaign_id, timezone.now(), "resumed after its worker stopped")
    return stalled


@task
def make_letter_print(print_id: int) -> str:
    """One PDF of a campaign's letters; the print page follows its progress on the LetterPrint row."""
    job = LetterPrint.objects.select_related("campaign__practice").get(pk=print_id)
    return make_letter_print_now(job).status
