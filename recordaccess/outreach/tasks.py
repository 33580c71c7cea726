"""Background work for outreach: sending campaigns, keeping them sent when workers die, printing letters."""

import datetime
import time

from django.conf import settings
from django.db.models import Min
from django.tasks import task
from django.utils import timezone
from django.utils.module_loading import import_string

from recordaccess.outreach.direct import settle_direct_messages
from recordaccess.outreach.models import (
    Campaign,
    CampaignSender,
    CampaignStatus,
    LetterPrint,
    MessageStatus,
    PrintStatus,
)
from recordaccess.outreach.ratelimit import seconds_to_next_window
from recordaccess.outreach.sending import (
    DailyLimitReached,
    NotReadyToSend,
    reconcile,
    send_batch,
    stuck_after,
    within_window,
)
from recordaccess.outreach.services import make_letter_print_now, start_scheduled

UNSETTLED = (MessageStatus.QUEUED, MessageStatus.SENDING)


def message_channel():
    return import_string(settings.MESSAGE_CHANNEL)()


def start_senders(campaign_id: int, count: int) -> None:
    """Enqueue `count` sending tasks for a campaign, each with its lease."""
    for _ in range(count):
        sender = CampaignSender.objects.create(
            campaign_id=campaign_id, lease_until=timezone.now() + stuck_after()
        )
        send_campaign.enqueue(campaign_id, sender.pk)


def _again(campaign_id: int, sender_id: int | None, at: datetime.datetime, why: str) -> str:
    """Put this sender off until `at`: its lease lasts until then, so nobody mistakes it for dead."""
    Campaign.objects.filter(pk=campaign_id).update(next_run_at=at)
    if sender_id is None:
        sender_id = CampaignSender.objects.create(campaign_id=campaign_id, lease_until=at).pk
    CampaignSender.objects.filter(pk=sender_id).update(lease_until=at + stuck_after())
    # Now: to the back of the queue, behind what came meanwhile; later: when its time comes.
    (send_campaign if at <= timezone.now() else send_campaign.using(run_after=at)).enqueue(
        campaign_id, sender_id
    )
    return why


def _next_turn(campaign_id: int, sender_id: int | None) -> str:
    """Hand the worker back after a turn: this sender goes to the back of the queue (its lease kept), so the tasks
    queued meanwhile run first: the workers' heartbeats, a patient's acknowledgement, the periodic checks."""
    return _again(campaign_id, sender_id, timezone.now(), "taking turns with the other tasks")


@task
def send_campaign(campaign_id: int, sender_id: int | None = None) -> str:
    """Send in batches while the campaign is sending and the window is open; pick up again when it reopens."""
    finished = True
    try:
        result, finished = _send(campaign_id, sender_id)
        return result
    finally:
        if finished and sender_id is not None:
            CampaignSender.objects.filter(pk=sender_id).delete()


def _send(campaign_id: int, sender_id: int | None) -> tuple[str, bool]:
    """Returns what happened, and whether this sender is finished (False: it has put itself off)."""
    channel = message_channel()
    campaign = Campaign.objects.select_related("practice").get(pk=campaign_id)
    reconcile(campaign)
    # A campaign of 100,000 sends for half an hour. Holding the worker all that while, its senders left every
    # other task waiting behind them, the heartbeat too, so /healthz said the workers were down while they sent
    # (the fault run: Notify slow, then well again, and /healthz 503 for two minutes after). A sender takes a turn
    # of SEND_TURN_SECONDS, then queues itself again behind what came meanwhile.
    turn_ends = time.monotonic() + settings.SEND_TURN_SECONDS
    while True:
        campaign.refresh_from_db(fields=["status"])
        if campaign.status != CampaignStatus.SENDING:
            return campaign.status, True
        now = timezone.now()
        if sender_id is not None:
            CampaignSender.objects.filter(pk=sender_id).update(lease_until=now + stuck_after())
        if not within_window(campaign, now):
            later = now + datetime.timedelta(minutes=15)
            return _again(campaign_id, sender_id, later, "waiting for the sending window"), False
        try:
            sent = send_batch(campaign, channel, size=settings.SEND_BATCH_SIZE)
        except DailyLimitReached as limit:
            return _again(campaign_id, sender_id, limit.resume_at, str(limit)), False
        except NotReadyToSend as not_ready:  # paused: an administrator resumes it once the DPIA is recorded
            Campaign.objects.filter(pk=campaign_id, status=CampaignStatus.SENDING).update(
                status=CampaignStatus.PAUSED, next_run_at=None
            )
            return str(not_ready), True
        if sent is None:  # the shared rate limit is used up for this window
            time.sleep(seconds_to_next_window())
        if sent is None or sent:
            if time.monotonic() > turn_ends:  # at least one batch a turn
                return _next_turn(campaign_id, sender_id), False
            continue
        unsettled = campaign.messages.filter(status__in=UNSETTLED)
        if not unsettled.exists():
            Campaign.objects.filter(pk=campaign_id, status=CampaignStatus.SENDING).update(
                status=CampaignStatus.COMPLETED, next_run_at=None
            )
            return CampaignStatus.COMPLETED, True
        retry_at = unsettled.filter(status=MessageStatus.QUEUED).aggregate(first=Min("next_attempt_at"))[
            "first"
        ]
        if retry_at:
            return _again(
                campaign_id, sender_id, retry_at, "waiting to retry messages that failed for now"
            ), False
        # Only messages another sender holds are left. If it is alive it finishes them; if its worker died,
        # its lease runs out and the heartbeat starts a sender that settles them by reference.
        return "the rest are held by another sender", True


@task
def resume_stalled_campaigns() -> list[int]:
    """Run with every worker's heartbeat: first start the approved campaigns whose scheduled time has come (only
    if still approved and the practice still ready: services.start_scheduled), then keep SEND_WORKERS senders on
    each campaign that is still sending. A sender whose lease ran out died with its worker (killed, or the
    machine went down); its messages are settled by reference by the sender that replaces it, before anything
    more is sent."""
    start_scheduled()
    now = timezone.now()
    CampaignSender.objects.filter(lease_until__lt=now).delete()
    topped_up = []
    for campaign in Campaign.objects.filter(status=CampaignStatus.SENDING):
        if not campaign.messages.filter(status__in=UNSETTLED).exists():
            continue
        missing = settings.SEND_WORKERS - campaign.senders.count()
        if missing > 0:
            start_senders(campaign.pk, missing)
            topped_up.append(campaign.pk)
    return topped_up


@task
def make_letter_print(print_id: int) -> str:
    """One PDF of a campaign's letters; the print page follows its progress on the LetterPrint row."""
    job = LetterPrint.objects.select_related("campaign__practice").get(pk=print_id)
    return make_letter_print_now(job).status


@task
def retry_letter_prints() -> int:
    """With every heartbeat: a print put off because the disk was full, or whose task could not be queued, is
    queued again once its time comes (each claimed by clearing its time, so it is queued once)."""
    queued = 0
    due = LetterPrint.objects.filter(status=PrintStatus.QUEUED, retry_at__lte=timezone.now())
    for pk in due.values_list("pk", flat=True):
        if LetterPrint.objects.filter(pk=pk, status=PrintStatus.QUEUED, retry_at__isnull=False).update(
            retry_at=None
        ):
            make_letter_print.enqueue(pk)
            queued += 1
    return queued


# Enqueued with every heartbeat of the worker: scheduled campaigns start and campaigns whose senders died are
# resumed (resume_stalled_campaigns), direct messages whose hand-over was unclear are looked up again, and letter
# prints put off by a full disk are tried again.
PERIODIC_TASKS = [resume_stalled_campaigns, settle_direct_messages, retry_letter_prints]
