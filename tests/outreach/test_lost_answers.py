"""When Notify took a message but its answer was lost (a 502, a dropped connection, a timeout), the message is
looked up by its reference before anything is sent again: no patient is messaged twice, none is missed."""

import collections

import pytest

from recordaccess.outreach import direct
from recordaccess.outreach.channels import NotifyChannel
from recordaccess.outreach.direct import send_direct_message
from recordaccess.outreach.localnotify import LOSSES
from recordaccess.outreach.models import DirectMessage, Message, MessageStatus
from recordaccess.outreach.selectors import sample_values
from recordaccess.outreach.sending import claim, deliver, send_batch
from recordaccess.outreach.services import approve_campaign
from tests.outreach.conftest import APPROVER

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(practice, campaign):
    return approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk)


@pytest.fixture
def retry_at_once(settings):
    """Retries come due at once and the client gives up waiting quickly, so a test need not wait."""
    settings.SEND_RETRY_BASE_SECONDS = 0
    settings.NOTIFY_TIMEOUT_SECONDS = 0.5


def send_all(campaign, channel) -> None:
    for _ in range(20):  # each pass sends what is due; retries are due at once
        send_batch(campaign, channel, size=2)


@pytest.mark.parametrize("how", LOSSES)
def test_a_campaign_whose_answers_are_lost_reaches_every_patient_exactly_once(
    approved, notify, retry_at_once, how
):
    notify.lose_next(3, how)
    send_all(approved, NotifyChannel())
    received = collections.Counter(notify.sent_references())
    expected = set(Message.objects.filter(campaign=approved).values_list("reference", flat=True))
    assert notify.answers_lost == 3
    assert set(received) == expected and set(received.values()) == {1}
    assert set(Message.objects.filter(campaign=approved).values_list("status", flat=True)) == {"sent"}


def test_a_share_of_answers_lost_at_random_still_reaches_every_patient_exactly_once(
    approved, notify, retry_at_once
):
    notify.lose_answers = 0.5
    send_all(approved, NotifyChannel())
    received = collections.Counter(notify.sent_references())
    assert notify.answers_lost >= 1 and len(received) == 6 and set(received.values()) == {1}
    assert set(Message.objects.filter(campaign=approved).values_list("status", flat=True)) == {"sent"}


def test_a_failed_look_up_sends_nothing_and_is_tried_again(approved, notify, retry_at_once):
    channel = NotifyChannel()
    [sms] = [i for i in claim(approved, 10) if Message.objects.get(pk=i).channel == "sms"]
    values = sample_values(approved.practice, "http://testserver")
    notify.lose_next(1)
    assert deliver(sms, channel, values) == MessageStatus.QUEUED
    notify.failed_look_ups = 1
    for outcome in (MessageStatus.QUEUED, MessageStatus.SENT):  # the look-up fails, then finds it
        Message.objects.filter(pk=sms).update(status=MessageStatus.SENDING)
        assert deliver(sms, channel, values) == outcome
    message = Message.objects.get(pk=sms)
    assert (notify.received(), notify.look_ups, message.attempts) == (1, 2, 1)
    assert message.notify_id == notify.notifications[0]["id"]


def test_a_clear_refusal_is_sent_again_without_a_look_up(approved, notify, retry_at_once):
    notify.failures = [(429, {"errors": [{"error": "RateLimitError", "message": "Exceeded"}]})]
    send_all(approved, NotifyChannel())
    assert notify.look_ups == 0 and len(notify.sent_references()) == len(set(notify.sent_references())) == 6


@pytest.mark.parametrize("how", LOSSES)
def test_a_decision_message_whose_answer_was_lost_is_found_by_reference_not_sent_again(
    practice, notify, retry_at_once, how
):
    message = direct.queue(
        practice=practice, reference="DEC-abc", channel="sms", to="07700 900123", subject="", body="Hello"
    )
    notify.lose_next(1, how)
    assert send_direct_message.call(message.pk) == "queued"  # to be looked up before anything else
    assert DirectMessage.objects.get().look_up_first
    assert send_direct_message.call(message.pk) == "sent"
    assert notify.sent_references() == ["DEC-abc"] and notify.look_ups == 1
    saved = DirectMessage.objects.get()
    assert (saved.status, saved.notify_id) == ("sent", notify.notifications[0]["id"])
