"""Messages to one person outside a campaign (an acknowledgement, a decision, a booking confirmation, a
reminder, an email to staff): the one path that sends one message to one person exactly once.

`queue` records the message under a unique reference (asking twice queues it once) and enqueues the sending task
when the transaction commits. `send_direct_message` claims the row (queued → sending) in its own committed
transaction before the channel is called, and settles it by the rule every sender follows (handover.py): after a
lost answer it is looked up by reference before it is ever sent again. A worker that dies between the claim and
the answer leaves the row in "sending"; the heartbeat's `settle_direct_messages` queues it to be looked up the
same way, and enqueues retries as they come due, so nothing is lost and nothing is sent twice.
"""

import datetime
import logging
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from recordaccess.outreach.channels import Rendered
from recordaccess.outreach.handover import Result, hand_over
from recordaccess.outreach.models import DirectMessage, DirectStatus
from recordaccess.patients.contacts import format_uk_mobile

logger = logging.getLogger(__name__)


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
    transaction.on_commit(partial(_enqueue, message.pk))
    return message


def _enqueue(message_id: int) -> None:
    """Queue the sending task. When the task queue cannot be reached (Redis stopped), the message is stored
    already: the caller's request must not fail for it (a patient told of an error would send again), so it is
    left due at once for the heartbeat's `settle_direct_messages`, which queues it when the queue is back
    (H128), and the log says so."""
    try:
        send_direct_message.enqueue(message_id)
    except Exception as error:  # noqa: BLE001 - whatever the queue's failure, the message waits for the sweep
        DirectMessage.objects.filter(pk=message_id, status=DirectStatus.QUEUED).update(
            next_attempt_at=timezone.now()
        )
        logger.warning(
            "Message %s could not be queued (%s): the heartbeat's sweep will queue it", message_id, error
        )


def queue_staff_email(*, practice, reference: str, to: str, subject: str, body: str, **signal) -> bool:
    """Practices' `staff_email` signal (practices/notices.py): an email to a staff member about their account."""
    queue(practice=practice, reference=reference, channel="email", to=to, subject=subject, body=body)
    return True


@task
def send_direct_message(message_id: int) -> str:
    from recordaccess.outreach.tasks import message_channel

    now = timezone.now()
    with transaction.atomic():
        claimed = (
            DirectMessage.objects.filter(pk=message_id, status=DirectStatus.QUEUED)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .update(status=DirectStatus.SENDING, updated_at=now)
        )
    if not claimed:
        return "already handled"  # or not due yet
    message = DirectMessage.objects.select_related("practice").get(pk=message_id)
    channel = message_channel()
    rendered = Rendered(to=message.to, subject=message.subject, body=message.body)
    handed = hand_over(
        channel,
        message,
        partial(
            channel.send_direct,
            practice=message.practice,
            channel=message.channel,
            reference=message.reference,
            rendered=rendered,
        ),
    )
    if handed.result == Result.SENT:
        DirectMessage.objects.filter(pk=message_id).update(
            status=DirectStatus.SENT,
            notify_id=handed.provider_id[:60],
            sent_at=timezone.now(),
            attempts=handed.attempts,
            look_up_first=False,
            next_attempt_at=None,
            error="",
            updated_at=timezone.now(),
        )
        return "sent"
    unsent = handed.unsent(
        again=DirectStatus.QUEUED, permanent=DirectStatus.FAILED, gave_up=DirectStatus.FAILED
    )
    DirectMessage.objects.filter(pk=message_id).update(**unsent)
    return "queued" if handed.result == Result.AGAIN else "failed"  # the heartbeat enqueues it when it is due


@task
def settle_direct_messages() -> dict:
    """With every heartbeat: a message left "sending" by a dead worker is queued again, to be looked up by its
    reference before anything is sent; a queued message whose retry is due, or whose task was lost, is enqueued
    (the claim makes a second task harmless)."""
    now = timezone.now()
    stuck_before = now - datetime.timedelta(seconds=settings.SEND_STUCK_AFTER_SECONDS)
    settled = {"to_look_up": 0, "enqueued": 0}
    settled["to_look_up"] = DirectMessage.objects.filter(
        status=DirectStatus.SENDING, updated_at__lt=stuck_before
    ).update(status=DirectStatus.QUEUED, look_up_first=True, next_attempt_at=now, updated_at=now)
    due = DirectMessage.objects.filter(status=DirectStatus.QUEUED).filter(
        Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True, updated_at__lt=stuck_before)
    )
    for pk in due.values_list("pk", flat=True):
        if DirectMessage.objects.filter(pk=pk, status=DirectStatus.QUEUED).update(
            next_attempt_at=None, updated_at=now
        ):
            send_direct_message.enqueue(pk)
            settled["enqueued"] += 1
    return settled
