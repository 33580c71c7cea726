"""Messages to one person outside a campaign (a decision, a booking confirmation, a reminder), sent at most once.

`queue` records the message under a unique reference (asking twice queues it once) and enqueues the sending task
when the transaction commits. `send_direct_message` claims the row (queued → sending) in its own committed
transaction before the channel is called. A worker that dies between the claim and the answer leaves the row in
"sending"; the heartbeat's `settle_direct_messages` asks the channel whether that reference went out before it
queues it again, so nothing is lost and nothing is sent twice.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone

from recordaccess.outreach.channels import PermanentFailure, Rendered, TemporaryFailure
from recordaccess.outreach.models import DirectMessage, DirectStatus
from recordaccess.patients.contacts import format_uk_mobile


def address(*, channel: str, mobile: str = "", email: str = "", letter_lines: list[str] | None = None) -> str:
    """Where the message goes on its channel: a mobile in international form, an email, or address lines."""
    if channel == "sms":
        return format_uk_mobile(mobile)
    if channel == "email":
        return email
    return "\n".join(letter_lines or [])


def queue(*, practice, reference: str, channel: str, to: str, subject: str, body: str) -> DirectMessage:
    """Queue a message once: a second call with the same reference returns the first."""
    existing = DirectMessage.objects.filter(reference=reference).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            message = DirectMessage.objects.create(
                practice=practice, reference=reference, channel=channel, to=to, subject=subject, body=body
            )
    except IntegrityError:  # someone queued it at the same moment
        return DirectMessage.objects.get(reference=reference)
    transaction.on_commit(lambda: send_direct_message.enqueue(message.pk))
    return message


@task
def send_direct_message(message_id: int) -> str:
    from recordaccess.outreach.tasks import message_channel

    with transaction.atomic():
        claimed = DirectMessage.objects.filter(pk=message_id, status=DirectStatus.QUEUED).update(
            status=DirectStatus.SENDING, updated_at=timezone.now()
        )
    if not claimed:
        return "already handled"
    message = DirectMessage.objects.select_related("practice").get(pk=message_id)
    DirectMessage.objects.filter(pk=message_id).update(attempts=message.attempts + 1)
    try:
        notify_id = message_channel().send_direct(
            practice=message.practice,
            channel=message.channel,
            reference=message.reference,
            rendered=Rendered(to=message.to, subject=message.subject, body=message.body),
        )
    except TemporaryFailure as error:
        gave_up = message.attempts + 1 >= settings.SEND_MAX_ATTEMPTS
        DirectMessage.objects.filter(pk=message_id).update(
            status=DirectStatus.FAILED if gave_up else DirectStatus.QUEUED, error=str(error)[:300]
        )
        if gave_up:
            return "failed"
        raise  # the task backend's retry, or the heartbeat's settle, takes it again
    except PermanentFailure as error:
        DirectMessage.objects.filter(pk=message_id).update(status=DirectStatus.FAILED, error=str(error)[:300])
        return "failed"
    DirectMessage.objects.filter(pk=message_id).update(
        status=DirectStatus.SENT, notify_id=notify_id[:60], sent_at=timezone.now(), error=""
    )
    return "sent"


@task
def settle_direct_messages() -> dict:
    """With every heartbeat: a message left "sending" by a dead worker is marked sent if the channel has its
    reference, or queued again if not; a queued message whose task was lost is enqueued again (the claim
    makes a second task harmless)."""
    from recordaccess.outreach.tasks import message_channel

    now = timezone.now()
    stuck_before = now - datetime.timedelta(seconds=settings.SEND_STUCK_AFTER_SECONDS)
    settled = {"sent": 0, "requeued": 0}
    channel = None
    for message in DirectMessage.objects.filter(status=DirectStatus.SENDING, updated_at__lt=stuck_before):
        channel = channel or message_channel()
        found = channel.find(message.reference)
        if found:
            DirectMessage.objects.filter(pk=message.pk, status=DirectStatus.SENDING).update(
                status=DirectStatus.SENT, notify_id=found[:60], sent_at=now
            )
            settled["sent"] += 1
        elif DirectMessage.objects.filter(pk=message.pk, status=DirectStatus.SENDING).update(
            status=DirectStatus.QUEUED, updated_at=now
        ):
            send_direct_message.enqueue(message.pk)
            settled["requeued"] += 1
    for pk in DirectMessage.objects.filter(
        status=DirectStatus.QUEUED, updated_at__lt=stuck_before, attempts__lt=settings.SEND_MAX_ATTEMPTS
    ).values_list("pk", flat=True):
        DirectMessage.objects.filter(pk=pk).update(updated_at=now)
        send_direct_message.enqueue(pk)
        settled["requeued"] += 1
    return settled
