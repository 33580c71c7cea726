"""Sending a campaign's messages: each handed over at most once, whatever happens to the worker.

A message is claimed (queued → sending) and that is committed before the channel is called. If the worker dies
after the call, the message stays "sending"; `reconcile` then asks the channel for it by its reference and marks
it sent if the channel has it, or queues it again if it never arrived. Nothing is ever sent a second time on a
guess.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from recordaccess.outreach.channels import PermanentFailure, Rendered, TemporaryFailure
from recordaccess.outreach.letters import letter_address
from recordaccess.outreach.messages import render
from recordaccess.outreach.models import Campaign, Message, MessageStatus
from recordaccess.outreach.ratelimit import next_day, take, take_daily, used_today
from recordaccess.outreach.replies import preference_link
from recordaccess.outreach.selectors import sample_values
from recordaccess.patients.contacts import format_uk_mobile
from recordaccess.patients.models import Patient


def stuck_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.SEND_STUCK_AFTER_SECONDS)


def within_window(campaign: Campaign, moment: datetime.datetime) -> bool:
    local = timezone.localtime(moment)
    if local.weekday() == 6 and not campaign.send_on_sundays:
        return False
    return campaign.window_start <= local.time().replace(tzinfo=None) < campaign.window_end


class DailyLimitReached(Exception):
    """Every channel this campaign still needs has used today's allowance; sending resumes at `resume_at`."""

    def __init__(self, resume_at: datetime.datetime):
        super().__init__(f"Daily limit reached; resuming at {resume_at:%Y-%m-%d %H:%M}")
        self.resume_at = resume_at


def ready(campaign: Campaign, now: datetime.datetime | None = None):
    """Queued messages whose retry time, if any, has come."""
    return Message.objects.filter(campaign=campaign, status=MessageStatus.QUEUED).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now or timezone.now())
    )


def claim(campaign: Campaign, size: int, channels: Iterable[str] | None = None) -> list[int]:
    """Take up to `size` queued messages for this worker; no other worker can take the same ones."""
    with transaction.atomic():
        queued = ready(campaign).select_for_update(skip_locked=True)
        if channels is not None:
            queued = queued.filter(channel__in=list(channels))
        ids = list(queued.order_by("pk").values_list("pk", flat=True)[:size])
        Message.objects.filter(pk__in=ids, status=MessageStatus.QUEUED).update(
            status=MessageStatus.SENDING, updated_at=timezone.now()
        )
    return ids


def rendered_for(message: Message, values: dict) -> Rendered:
    patient = message.patient
    template = message.campaign.template_for(message.channel)
    values = {**values, "first name": patient.given_name or "patient", "last name": patient.family_name}
    if message.reply_code:  # the patient's own link: their answer goes on their record
        values["preference link"] = preference_link(message.reply_code)
    body = render(template.body, values)
    subject = render(template.subject, values) if template.subject else ""
    if message.channel == "sms":
        to = format_uk_mobile(patient.mobile)
    elif message.channel == "email":
        to = patient.email
    else:  # a letter: the lines that show in the envelope window
        to = "\n".join(letter_address(f"{patient.given_name} {patient.family_name}", patient.address_lines))
    return Rendered(to=to, subject=subject, body=body)


def deliver(message_id: int, channel, values: dict) -> str:
    """Hand one claimed message to the channel and record what happened; returns its status."""
    return deliver_many([message_id], channel, values).get(message_id, "")


def deliver_many(ids: list[int], channel, values: dict, campaign: Campaign | None = None) -> dict[int, str]:
    """Hand claimed messages to the channel one by one. Failures are recorded as they happen; messages that
    went are recorded together at the end, even if something goes wrong part-way (until then they stay
    "sending", which only ever leads to a look-up by reference, never a second send)."""
    messages = Message.objects.select_related("patient").filter(pk__in=ids).order_by("pk")
    outcome: dict[int, str] = {}
    sent: list[tuple[Message, str]] = []
    try:
        for message in messages:
            if message.status != MessageStatus.SENDING:
                outcome[message.pk] = message.status  # someone else settled it
                continue
            if campaign is not None:
                message.campaign = campaign  # one campaign object, so its templates are read once
            try:
                sent.append((message, channel.send(message, rendered_for(message, values))))
                outcome[message.pk] = MessageStatus.SENT
            except TemporaryFailure as error:
                outcome[message.pk] = _failed_for_now(message, error)
            except PermanentFailure as error:
                Message.objects.filter(pk=message.pk).update(
                    status=MessageStatus.PERMANENT_FAILURE, error=str(error), updated_at=timezone.now()
                )
                outcome[message.pk] = MessageStatus.PERMANENT_FAILURE
    finally:
        _record_sent(sent)
    return outcome


def _failed_for_now(message: Message, error: Exception) -> str:
    attempts = message.attempts + 1
    if attempts >= settings.SEND_MAX_ATTEMPTS:
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.TECHNICAL_FAILURE, attempts=attempts, error=f"Gave up: {error}"
        )
        return MessageStatus.TECHNICAL_FAILURE
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.QUEUED,
        attempts=attempts,
        error=str(error),
        next_attempt_at=timezone.now() + retry_delay(attempts),
    )
    return MessageStatus.QUEUED


def _record_sent(sent: list[tuple[Message, str]]) -> None:
    if not sent:
        return
    now = timezone.now()
    for message, provider_id in sent:
        message.status, message.notify_id, message.sent_at = MessageStatus.SENT, provider_id, now
        message.attempts += 1
        message.updated_at = now
    with transaction.atomic():
        Message.objects.bulk_update(
            [m for m, _ in sent], ["status", "notify_id", "sent_at", "attempts", "updated_at"], batch_size=500
        )
        Patient.objects.filter(pk__in=[m.patient_id for m, _ in sent]).update(last_contacted_at=now)


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential backoff: the base delay, doubled for each failed attempt, at most an hour."""
    return datetime.timedelta(seconds=min(3600, settings.SEND_RETRY_BASE_SECONDS * 2 ** (attempts - 1)))


def send_batch(campaign: Campaign, channel, *, size: int = 100) -> int | None:
    """Claim and deliver one batch; returns how many were claimed (0 when nothing is ready), or None when the
    shared rate limit has nothing left in this window and the caller should wait for the next. Raises
    DailyLimitReached when today's allowance of every channel still needed is used up."""
    values = sample_values(campaign.practice, settings.PUBLIC_BASE_URL)
    if not getattr(channel, "rate_limited", False):
        ids = claim(campaign, size)
    else:
        size = take(f"{channel.name}:requests", size, per_minute=settings.NOTIFY_RATE_PER_MINUTE)
        if size == 0:
            return None
        ids = _claim_within_daily_limits(campaign, channel, size)
    deliver_many(ids, channel, values, campaign)
    return len(ids)


def _claim_within_daily_limits(campaign: Campaign, channel, size: int) -> list[int]:
    limits = settings.NOTIFY_DAILY_LIMITS
    key = f"{channel.name}:{{}}".format
    open_channels = [c for c, limit in limits.items() if used_today(key(c)) < limit]
    ids = claim(campaign, size, channels=open_channels)
    if not ids and ready(campaign).exclude(channel__in=open_channels).exists():
        raise DailyLimitReached(next_day())
    by_channel: dict[str, list[int]] = {}
    for pk, name in Message.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "channel"):
        by_channel.setdefault(name, []).append(pk)
    allowed: list[int] = []
    for name, pks in by_channel.items():
        granted = take_daily(key(name), len(pks), per_day=limits[name])
        allowed += pks[:granted]
        # Claimed but over today's limit: never handed over, so safe to put back in the queue.
        Message.objects.filter(pk__in=pks[granted:], status=MessageStatus.SENDING).update(
            status=MessageStatus.QUEUED
        )
    return sorted(allowed)


def reconcile(campaign: Campaign, channel, *, now: datetime.datetime | None = None) -> dict:
    """Settle messages left "sending" by a worker that died: sent if the channel has them, else queued again."""
    cutoff = (now or timezone.now()) - stuck_after()
    settled = {"sent": 0, "requeued": 0}
    stuck = Message.objects.filter(campaign=campaign, status=MessageStatus.SENDING, updated_at__lt=cutoff)
    for message in stuck.iterator():
        provider_id = channel.find(message.reference)
        if provider_id:
            Message.objects.filter(pk=message.pk).update(
                status=MessageStatus.SENT,
                notify_id=provider_id,
                sent_at=timezone.now(),
                updated_at=timezone.now(),
            )
            settled["sent"] += 1
        else:
            Message.objects.filter(pk=message.pk).update(
                status=MessageStatus.QUEUED, updated_at=timezone.now()
            )
            settled["requeued"] += 1
    return settled
