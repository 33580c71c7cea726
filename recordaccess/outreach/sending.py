"""Sending a campaign's messages: each handed over at most once, whatever happens to the worker.

A message is claimed (queued → sending) and that is committed before the channel is called. If the worker dies
after the call, the message stays "sending"; `reconcile` then asks the channel for it by its reference and marks
it sent if the channel has it, or queues it again if it never arrived. Nothing is ever sent a second time on a
guess.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from recordaccess.outreach.channels import PermanentFailure, Rendered, TemporaryFailure
from recordaccess.outreach.messages import render
from recordaccess.outreach.models import Campaign, Message, MessageStatus
from recordaccess.outreach.ratelimit import take
from recordaccess.outreach.selectors import sample_values
from recordaccess.patients.contacts import format_uk_mobile
from recordaccess.patients.models import Patient

STUCK_AFTER = datetime.timedelta(minutes=10)


def within_window(campaign: Campaign, moment: datetime.datetime) -> bool:
    local = timezone.localtime(moment)
    if local.weekday() == 6 and not campaign.send_on_sundays:
        return False
    return campaign.window_start <= local.time().replace(tzinfo=None) < campaign.window_end


def claim(campaign: Campaign, size: int) -> list[int]:
    """Take up to `size` queued messages for this worker; no other worker can take the same ones."""
    with transaction.atomic():
        ids = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(campaign=campaign, status=MessageStatus.QUEUED)
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        Message.objects.filter(pk__in=ids, status=MessageStatus.QUEUED).update(
            status=MessageStatus.SENDING, updated_at=timezone.now()
        )
    return ids


def rendered_for(message: Message, values: dict) -> Rendered:
    patient = message.patient
    template = message.campaign.template_for(message.channel)
    body = render(
        template.body,
        {**values, "first name": patient.given_name or "patient", "last name": patient.family_name},
    )
    subject = render(template.subject, values) if template.subject else ""
    to = {
        "sms": format_uk_mobile(patient.mobile),
        "email": patient.email,
        "letter": ", ".join(patient.address_lines),
    }[message.channel]
    return Rendered(to=to, subject=subject, body=body)


def deliver(message_id: int, channel, values: dict) -> str:
    """Hand one claimed message to the channel and record what happened."""
    message = Message.objects.select_related("patient", "campaign").get(pk=message_id)
    if message.status != MessageStatus.SENDING:
        return message.status  # someone else settled it
    try:
        provider_id = channel.send(message, rendered_for(message, values))
    except TemporaryFailure as error:
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.QUEUED, attempts=message.attempts + 1, error=str(error)
        )
        return MessageStatus.QUEUED
    except PermanentFailure as error:
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.PERMANENT_FAILURE, error=str(error), updated_at=timezone.now()
        )
        return MessageStatus.PERMANENT_FAILURE
    now = timezone.now()
    with transaction.atomic():
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.SENT, notify_id=provider_id, sent_at=now, attempts=message.attempts + 1
        )
        Patient.objects.filter(pk=message.patient_id).update(last_contacted_at=now)
    return MessageStatus.SENT


def send_batch(campaign: Campaign, channel, *, size: int = 100) -> int | None:
    """Claim and deliver one batch; returns how many were claimed (0 when nothing is left), or None when the
    shared rate limit has nothing left in this window and the caller should wait for the next."""
    values = sample_values(campaign.practice, settings.PUBLIC_BASE_URL)
    if getattr(channel, "rate_limited", False):
        size = take(f"{channel.name}:requests", size, per_minute=settings.NOTIFY_RATE_PER_MINUTE)
        if size == 0:
            return None
    ids = claim(campaign, size)
    for message_id in ids:
        deliver(message_id, channel, values)
    return len(ids)


def reconcile(campaign: Campaign, channel, *, now: datetime.datetime | None = None) -> dict:
    """Settle messages left "sending" by a worker that died: sent if the channel has them, else queued again."""
    cutoff = (now or timezone.now()) - STUCK_AFTER
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
