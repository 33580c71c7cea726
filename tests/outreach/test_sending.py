"""Sending through the outbox channel: every message handed over exactly once, even when a worker dies."""

import datetime

import pytest
from django.tasks import task_backends
from django.utils import timezone

from recordaccess.outreach.channels import OutboxChannel, PermanentFailure, TemporaryFailure, UnclearOutcome
from recordaccess.outreach.models import Campaign, CampaignSender, Message, MessageStatus, OutboxItem
from recordaccess.outreach.sending import claim, reconcile, send_batch, within_window
from recordaccess.outreach.services import approve_campaign
from recordaccess.outreach.tasks import resume_stalled_campaigns, send_campaign
from tests.outreach.conftest import APPROVER

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(practice, campaign):
    return approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk)


def test_every_message_is_delivered_once_with_the_patients_details_filled_in(approved, people):
    channel = OutboxChannel()
    while send_batch(approved, channel, size=4):
        pass
    assert send_batch(approved, channel) == 0
    messages = Message.objects.filter(campaign=approved)
    assert set(messages.values_list("status", flat=True)) == {"sent"}
    assert OutboxItem.objects.count() == messages.count() == 6
    text = OutboxItem.objects.get(message__patient=people["sms"])
    assert text.to == "07700 900001"
    assert "Riverside Surgery" in text.body and "((" not in text.body
    letter = OutboxItem.objects.get(message__patient=people["letter"])
    assert letter.body.startswith("Dear P3 T,") and letter.to == "P3 T\n3 St\nLS1 4AP"
    people["sms"].refresh_from_db()
    assert people["sms"].last_contacted_at is not None


def test_a_worker_that_died_before_handing_over_is_requeued_then_sent_once(approved):
    channel = OutboxChannel()
    claimed = claim(approved, 2)  # ...and the worker dies here
    assert reconcile(approved) == 0  # too soon to call them stuck
    later = timezone.now() + datetime.timedelta(minutes=11)
    assert reconcile(approved, now=later) == 2  # queued again, to be looked up first
    while send_batch(approved, channel):
        pass
    assert OutboxItem.objects.filter(message_id__in=claimed).count() == 2
    assert OutboxItem.objects.count() == 6


def test_a_worker_that_died_after_handing_over_is_marked_sent_not_sent_again(approved):
    channel = OutboxChannel()
    [message_id] = claim(approved, 1)
    message = Message.objects.get(pk=message_id)
    channel.send(
        message, type("R", (), {"to": "x", "subject": "", "body": "b"})()
    )  # ...and then the worker dies
    later = timezone.now() + datetime.timedelta(minutes=11)
    assert reconcile(approved, now=later) == 1
    while send_batch(approved, channel):
        pass
    assert OutboxItem.objects.filter(message_id=message_id).count() == 1
    assert Message.objects.get(pk=message_id).status == "sent"


class FlakyChannel(OutboxChannel):
    def __init__(self, failure):
        self.failure = failure

    def send(self, message, rendered):
        raise self.failure


def test_a_temporary_failure_queues_the_message_again_and_counts_the_attempt(approved):
    send_batch(approved, FlakyChannel(TemporaryFailure("429 Too Many Requests")), size=1)
    message = Message.objects.filter(campaign=approved, attempts=1).get()
    assert (message.status, message.error, message.look_up_first) == (
        "queued",
        "429 Too Many Requests",
        False,
    )


def test_an_unclear_outcome_queues_the_message_to_be_looked_up_before_any_resend(approved):
    send_batch(approved, FlakyChannel(UnclearOutcome("502: Bad gateway")), size=1)
    message = Message.objects.filter(campaign=approved, attempts=1).get()
    assert (message.status, message.error, message.look_up_first) == (
        "queued",
        "Answer lost: 502: Bad gateway",
        True,
    )


def test_a_permanent_failure_is_recorded_for_the_next_campaign_to_fall_back(approved):
    send_batch(approved, FlakyChannel(PermanentFailure("Not a real mobile")), size=1)
    assert Message.objects.filter(campaign=approved, status=MessageStatus.PERMANENT_FAILURE).count() == 1


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        ("2026-11-23 07:59", False),  # Monday, before 08:00
        ("2026-11-23 08:00", True),
        ("2026-11-23 19:59", True),
        ("2026-11-23 20:00", False),
        ("2026-11-29 12:00", False),  # Sunday
    ],
)
def test_messages_go_only_inside_the_sending_window(approved, moment, open_):
    local = timezone.make_aware(datetime.datetime.fromisoformat(moment))
    assert within_window(approved, local) is open_


def test_a_campaign_keeps_its_senders_when_a_worker_dies(approved, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.SEND_WORKERS = 2
    Campaign.objects.filter(pk=approved.pk).update(status="sending")
    assert resume_stalled_campaigns.call() == [approved.pk]  # nobody was sending it: two senders start
    assert approved.senders.count() == 2
    assert resume_stalled_campaigns.call() == []  # both alive
    dead = approved.senders.first()
    CampaignSender.objects.filter(pk=dead.pk).update(
        lease_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert resume_stalled_campaigns.call() == [approved.pk]  # its lease ran out: replaced
    assert approved.senders.count() == 2 and not approved.senders.filter(pk=dead.pk).exists()
    Message.objects.filter(campaign=approved).update(status="sent")
    approved.senders.all().delete()
    assert resume_stalled_campaigns.call() == []  # nothing left to send


def test_a_sender_put_off_until_the_window_opens_keeps_its_lease_until_then(approved, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    Campaign.objects.filter(pk=approved.pk).update(
        status="sending", window_start=datetime.time(0, 0), window_end=datetime.time(0, 0, 1)
    )
    sender = CampaignSender.objects.create(campaign=approved, lease_until=timezone.now())
    assert send_campaign.call(approved.pk, sender.pk) == "waiting for the sending window"
    sender.refresh_from_db()
    assert sender.lease_until > timezone.now() + datetime.timedelta(minutes=15)
    settings.SEND_WORKERS = 1
    assert resume_stalled_campaigns.call() == []  # it is waiting on purpose, not dead


def test_a_sender_takes_turns_with_the_other_tasks_keeping_its_lease_and_sends_each_message_once(
    approved, settings
):
    """A sender holding a worker for a whole campaign left the heartbeat and the acknowledgements queued behind
    it (/healthz said the workers were down). After each turn it queues itself again, behind them."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.SEND_TURN_SECONDS, settings.SEND_BATCH_SIZE = 0, 1
    Campaign.objects.filter(pk=approved.pk).update(status="sending")
    sender = CampaignSender.objects.create(campaign=approved, lease_until=timezone.now())
    queued = task_backends["default"].results
    queued.clear()
    total, turns = approved.messages.count(), 0
    while send_campaign.call(approved.pk, sender.pk) == "taking turns with the other tasks":
        turns += 1
        assert [(r.task.name, r.args) for r in queued] == [("send_campaign", [approved.pk, sender.pk])]
        queued.clear()
        sender.refresh_from_db()
        assert sender.lease_until > timezone.now() + datetime.timedelta(minutes=5)  # not taken for dead
    assert total > 1 and turns == total  # one batch of one a turn
    approved.refresh_from_db()
    assert approved.status == "completed" and not CampaignSender.objects.filter(pk=sender.pk).exists()
    assert OutboxItem.objects.filter(message__campaign=approved).count() == total
