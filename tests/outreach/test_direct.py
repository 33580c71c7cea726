"""Messages outside campaigns: queued once by reference, sent at most once, and settled after a crash."""

import datetime

import pytest
from django.utils import timezone

from recordaccess.outreach import direct
from recordaccess.outreach.direct import send_direct_message, settle_direct_messages
from recordaccess.outreach.localnotify import API_KEY, SMS_TEMPLATE_ID
from recordaccess.outreach.models import DirectMessage, OutboxItem

pytestmark = pytest.mark.django_db


def queue(practice, reference="DEC-abc", channel="sms", to="07700 900123"):
    return direct.queue(
        practice=practice, reference=reference, channel=channel, to=to, subject="S", body="Hello"
    )


def test_the_same_reference_queues_one_message(practice):
    assert queue(practice).pk == queue(practice).pk
    assert DirectMessage.objects.count() == 1


def test_a_message_left_sending_by_a_dead_worker_is_marked_sent_when_notify_has_it(
    practice, notify, settings
):
    message = queue(practice)
    assert send_direct_message.call(message.pk) == "sent"
    # As if the worker died after Notify accepted it but before it wrote "sent".
    stale = timezone.now() - datetime.timedelta(seconds=settings.SEND_STUCK_AFTER_SECONDS + 5)
    DirectMessage.objects.filter(pk=message.pk).update(status="sending", updated_at=stale)
    assert settle_direct_messages.call() == {"to_look_up": 1, "enqueued": 1}
    assert send_direct_message.call(message.pk) == "sent"
    assert DirectMessage.objects.get().status == "sent" and len(notify.notifications) == 1


def test_a_message_left_sending_that_never_reached_notify_is_queued_again(practice, notify, settings):
    message = queue(practice)
    stale = timezone.now() - datetime.timedelta(seconds=settings.SEND_STUCK_AFTER_SECONDS + 5)
    DirectMessage.objects.filter(pk=message.pk).update(status="sending", updated_at=stale)
    assert settle_direct_messages.call() == {"to_look_up": 1, "enqueued": 1}
    assert send_direct_message.call(message.pk) == "sent"
    assert len(notify.notifications) == 1 and notify.look_ups == 1


def test_notify_being_down_keeps_the_message_queued_then_gives_up_after_the_attempts(practice, settings):
    settings.MESSAGE_CHANNEL = "recordaccess.outreach.channels.NotifyChannel"
    settings.NOTIFY_API_KEY, settings.NOTIFY_BASE_URL = API_KEY, "http://127.0.0.1:9"  # nothing listens
    settings.NOTIFY_SMS_TEMPLATE_ID = SMS_TEMPLATE_ID
    settings.SEND_MAX_ATTEMPTS = 2
    message = queue(practice)
    assert send_direct_message.call(message.pk) == "queued"
    saved = DirectMessage.objects.get()
    assert saved.error.startswith("not sent") and not saved.look_up_first  # it never left
    assert send_direct_message.call(message.pk) == "already handled"  # not due yet
    assert settle_direct_messages.call() == {"to_look_up": 0, "enqueued": 0}
    DirectMessage.objects.update(next_attempt_at=timezone.now())  # its retry comes due
    assert settle_direct_messages.call() == {"to_look_up": 0, "enqueued": 1}
    assert send_direct_message.call(message.pk) == "failed"
    assert DirectMessage.objects.get().status == "failed"


def test_a_letter_goes_to_the_outbox_for_printing_when_notify_letters_are_off(practice, settings):
    message = queue(practice, channel="letter", to="Alex Morgan\n1 Road\nLS1 4AP")
    assert send_direct_message.call(message.pk) == "sent"
    item = OutboxItem.objects.get()
    assert (item.channel, item.reference, item.to) == ("letter", "DEC-abc", "Alex Morgan\n1 Road\nLS1 4AP")
