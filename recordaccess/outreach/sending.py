"""Sending a campaign's messages: each handed over once, whatever happens to the worker or to Notify's answer.

A message is claimed (queued → sending) and that is committed before the channel is called; handover.py then
settles it by the one rule every sender follows. If the worker dies after the call, the message stays "sending";
`reconcile` queues it again to be looked up by its reference first, so it is marked sent if the channel has it
and sent only if it never arrived. Nothing is ever sent a second time on a guess.
"""

import datetime
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from recordaccess.outreach.channels import Rendered
from recordaccess.outreach.handover import Outcome, Result, hand_over
from recordaccess.outreach.letters import letter_address
from recordaccess.outreach.messages import render
from recordaccess.outreach.models import Campaign, Message, MessageStatus
from recordaccess.outreach.ratelimit import next_day, take, take_daily, used_today
from recordaccess.outreach.replies import preference_link
from recordaccess.outreach.selectors import missing_values, sample_values, unapproved_templates
from recordaccess.patients.contacts import format_uk_mobile
from recordaccess.patients.models import Patient
from recordaccess.practices.readiness import not_ready_reason


def stuck_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.SEND_STUCK_AFTER_SECONDS)


def within_window(campaign: Campaign, moment: datetime.datetime) -> bool:
    local = timezone.localtime(moment)
    if local.weekday() == 6 and not campaign.send_on_sundays:
        return False
    return campaign.window_start <= local.time().replace(tzinfo=None) < campaign.window_end


def window_opens(campaign: Campaign, moment: datetime.datetime) -> datetime.datetime | None:
    """When the campaign may next send: `moment` itself inside its window, else the start of the next window
    (skipping Sundays unless it sends on them); None if its window never opens (start not before end)."""
    if campaign.window_start >= campaign.window_end:
        return None
    if within_window(campaign, moment):
        return moment
    local = timezone.localtime(moment)
    for days in range(8):
        day = local.date() + datetime.timedelta(days=days)
        if day.weekday() == 6 and not campaign.send_on_sundays:
            continue
        start = timezone.make_aware(datetime.datetime.combine(day, campaign.window_start))
        if start > moment:
            return start
    return None


def when_sending_starts(campaign: Campaign, moment: datetime.datetime) -> str:
    """ "Sending starts at 08:00 on Monday 1 December." when `moment` is outside the window; else ""."""
    opens = window_opens(campaign, moment)
    if opens is None or opens == moment:
        return ""
    local = timezone.localtime(opens)
    return f"Sending starts at {local:%H:%M} on {local:%A} {local.day} {local:%B}."


class NotReadyToSend(Exception):
    """The practice's DPIA or agreed approach is not recorded (any more): nothing goes to its patients."""


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
    template = message.campaign.template_for(message.channel, review=message.review_wording)
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
    sent: list[tuple[Message, Outcome]] = []
    try:
        for message in messages:
            if message.status != MessageStatus.SENDING:
                outcome[message.pk] = message.status  # someone else settled it
                continue
            if campaign is not None:
                message.campaign = campaign  # one campaign object, so its templates are read once
            handed = hand_over(
                channel, message, partial(channel.send, message, rendered_for(message, values))
            )
            if handed.result == Result.SENT:
                sent.append((message, handed))
                outcome[message.pk] = MessageStatus.SENT
                continue
            unsent = handed.unsent(
                again=MessageStatus.QUEUED,
                permanent=MessageStatus.PERMANENT_FAILURE,
                gave_up=MessageStatus.TECHNICAL_FAILURE,
            )
            Message.objects.filter(pk=message.pk).update(**unsent)
            outcome[message.pk] = unsent["status"]
    finally:
        _record_sent(sent)
    return outcome


def _record_sent(sent: list[tuple[Message, Outcome]]) -> None:
    if not sent:
        return
    now = timezone.now()
    for message, handed in sent:
        message.status, message.notify_id, message.sent_at = MessageStatus.SENT, handed.provider_id, now
        message.attempts, message.look_up_first, message.updated_at = handed.attempts, False, now
    with transaction.atomic():
        Message.objects.bulk_update(
            [m for m, _ in sent],
            ["status", "notify_id", "sent_at", "attempts", "look_up_first", "updated_at"],
            batch_size=500,
        )
        Patient.objects.filter(pk__in=[m.patient_id for m, _ in sent]).update(last_contacted_at=now)


def send_batch(campaign: Campaign, channel, *, size: int = 100) -> int | None:
    """Claim and deliver one batch; returns how many were claimed (0 when nothing is ready), or None when the
    shared rate limit has nothing left in this window and the caller should wait for the next. Raises
    DailyLimitReached when today's allowance of every channel still needed is used up, and NotReadyToSend when
    the practice may not send to patients (checked every batch: a DPIA can be withdrawn mid-campaign)."""
    if not_ready := not_ready_reason(campaign.practice):
        raise NotReadyToSend(not_ready)
    if needed := missing_values(campaign, settings.PUBLIC_BASE_URL):
        raise NotReadyToSend(" ".join(needed))
    if unapproved := unapproved_templates(campaign):
        raise NotReadyToSend(f"Approval was withdrawn from {', '.join(unapproved)}: nothing more is sent.")
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


def reconcile(campaign: Campaign, *, now: datetime.datetime | None = None) -> int:
    """Messages left "sending" by a worker that died go back in the queue, to be looked up by reference before
    anything is sent: marked sent if the channel has them, sent if it has not. Returns how many."""
    now = now or timezone.now()
    return Message.objects.filter(
        campaign=campaign, status=MessageStatus.SENDING, updated_at__lt=now - stuck_after()
    ).update(status=MessageStatus.QUEUED, look_up_first=True, next_attempt_at=None, updated_at=timezone.now())


def record_receipt(reference: str | None, status: str, error: str) -> None:
    """Notify's delivery receipt: one more state transition. A message already delivered stays so, and a
    receipt for a message we do not know changes nothing (and says nothing about who exists)."""
    Message.objects.filter(reference=reference).exclude(status=MessageStatus.DELIVERED).update(
        status=status, updated_at=timezone.now(), error=error
    )
