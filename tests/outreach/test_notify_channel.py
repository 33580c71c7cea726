"""The real Notify client talking HTTP to a local server that speaks Notify's API and checks the JWT."""

import base64
import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from recordaccess.outreach.channels import NotifyChannel
from recordaccess.outreach.localnotify import API_KEY, EMAIL_TEMPLATE_ID, SMS_TEMPLATE_ID
from recordaccess.outreach.models import Message, MessageStatus, OutboxItem
from recordaccess.outreach.selectors import sample_values
from recordaccess.outreach.sending import (
    DailyLimitReached,
    claim,
    deliver,
    reconcile,
    rendered_for,
    send_batch,
)
from recordaccess.outreach.services import approve_campaign
from tests.outreach.conftest import APPROVER

pytestmark = pytest.mark.django_db
SMS_TEMPLATE, EMAIL_TEMPLATE = SMS_TEMPLATE_ID, EMAIL_TEMPLATE_ID


@pytest.fixture
def approved(practice, campaign):
    return approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk)


def test_texts_and_emails_reach_notify_once_each_with_our_reference_and_rendered_body(
    approved, notify, people
):
    channel = NotifyChannel()
    while send_batch(approved, channel):
        pass
    by_reference = {n["reference"]: n for n in notify.notifications}
    sms = by_reference[f"RA-{approved.pk}-{people['sms'].pk}"]
    assert (sms["type"], sms["phone_number"], sms["template_id"]) == ("sms", "07700 900001", SMS_TEMPLATE)
    assert (
        "Riverside Surgery" in sms["personalisation"]["body"] and "((" not in sms["personalisation"]["body"]
    )
    email = by_reference[f"RA-{approved.pk}-{people['email'].pk}"]
    assert email["personalisation"]["subject"] == "Your GP record online"
    assert len(notify.notifications) == len(set(notify.sent_references())) == 6
    letter = by_reference[f"RA-{approved.pk}-{people['letter'].pk}"]
    assert letter["type"] == "letter" and letter["postage"] == "second"
    pdf = PdfReader(io.BytesIO(base64.b64decode(letter["content"])))  # a precompiled letter
    assert "P3 T\n3 St\nLS1 4AP" in pdf.pages[0].extract_text()
    assert not OutboxItem.objects.exists()
    assert set(Message.objects.filter(campaign=approved).values_list("status", flat=True)) == {"sent"}


def test_with_notify_letters_off_letters_go_to_the_outbox_for_printing(approved, notify, settings):
    settings.NOTIFY_LETTERS = False
    channel = NotifyChannel()
    while send_batch(approved, channel):
        pass
    assert {n["type"] for n in notify.notifications} == {"sms", "email"}
    assert OutboxItem.objects.filter(message__channel="letter").count() == 3


def test_a_worker_killed_after_notify_accepted_is_settled_by_looking_up_the_reference(approved, notify):
    channel = NotifyChannel()
    ids = claim(approved, 10)
    first = Message.objects.filter(pk__in=ids, channel="sms").first()
    values = sample_values(approved.practice, "http://testserver")
    channel.send(
        first, rendered_for(first, values)
    )  # Notify has it... and the worker dies before recording it
    later = timezone.now() + datetime.timedelta(minutes=11)
    assert reconcile(approved, now=later) == len(ids)
    while send_batch(approved, channel):
        pass
    assert notify.sent_references().count(first.reference) == 1
    assert Message.objects.get(pk=first.pk).notify_id == notify.by_reference[first.reference][0]["id"]


def test_rate_limits_and_outages_are_retried_later_and_bad_numbers_are_permanent(approved, notify):
    channel = NotifyChannel()
    notify.failures = [
        (
            429,
            {"errors": [{"error": "RateLimitError", "message": "Exceeded rate limit"}], "status_code": 429},
        ),
        (500, {"errors": [{"error": "Exception", "message": "Internal server error"}], "status_code": 500}),
        (
            400,
            {
                "errors": [{"error": "ValidationError", "message": "phone_number Not a UK mobile number"}],
                "status_code": 400,
            },
        ),
    ]
    ids = [i for i in claim(approved, 10) if Message.objects.get(pk=i).channel != "letter"]
    values = sample_values(approved.practice, "http://testserver")
    results = [deliver(i, channel, values) for i in ids]
    assert results == [MessageStatus.QUEUED, MessageStatus.QUEUED, MessageStatus.PERMANENT_FAILURE]
    refused, unclear = Message.objects.get(pk=ids[0]), Message.objects.get(pk=ids[1])
    assert refused.error.startswith("429") and not refused.look_up_first  # Notify did not take it
    assert unclear.error.startswith("Answer lost: 500") and unclear.look_up_first  # Notify may have it


def test_a_wrong_api_key_never_marks_patients_unreachable(approved, notify, settings):
    settings.NOTIFY_API_KEY = API_KEY[:-1] + ("0" if API_KEY[-1] != "0" else "1")
    channel = NotifyChannel()
    send_batch(approved, channel, size=10)
    assert not Message.objects.filter(status=MessageStatus.PERMANENT_FAILURE, campaign=approved).exists()
    assert notify.notifications == []


def test_a_temporary_failure_waits_longer_each_time_then_gives_up(approved, notify, settings):
    settings.SEND_RETRY_BASE_SECONDS, settings.SEND_MAX_ATTEMPTS = 30, 3
    channel = NotifyChannel()
    outage = (
        429,
        {"errors": [{"error": "RateLimitError", "message": "Exceeded rate limit"}], "status_code": 429},
    )
    sms = Message.objects.get(campaign=approved, channel="sms")
    values = sample_values(approved.practice, "http://testserver")
    delays = []
    for _ in range(3):
        notify.failures = [outage]
        Message.objects.filter(pk=sms.pk).update(status=MessageStatus.SENDING)
        before = timezone.now()
        deliver(sms.pk, channel, values)
        sms.refresh_from_db()
        if sms.status == MessageStatus.QUEUED:
            delays.append(round((sms.next_attempt_at - before).total_seconds()))
            assert sms.pk not in claim(approved, 100)  # not before its time
    assert delays == [30, 60]
    assert sms.status == MessageStatus.TECHNICAL_FAILURE and sms.error.startswith("Gave up: 429")
    assert notify.notifications == []


def test_a_channel_at_its_daily_limit_waits_for_tomorrow_while_the_others_go(approved, notify, settings):
    settings.NOTIFY_DAILY_LIMITS = {"sms": 0, "email": 250_000, "letter": 250_000}
    channel = NotifyChannel()
    with pytest.raises(DailyLimitReached) as limit:
        while send_batch(approved, channel):
            pass
    assert {n["type"] for n in notify.notifications} == {"email", "letter"}
    assert Message.objects.get(campaign=approved, channel="sms").status == MessageStatus.QUEUED
    resume = timezone.localtime(limit.value.resume_at)
    assert (resume.hour, resume.minute) == (0, 0) and resume > timezone.now()


def test_the_daily_limit_is_counted_across_batches(approved, notify, settings):
    settings.NOTIFY_DAILY_LIMITS = {"sms": 250_000, "email": 250_000, "letter": 2}
    channel = NotifyChannel()
    with pytest.raises(DailyLimitReached):
        while send_batch(approved, channel, size=1):
            pass
    assert [n["type"] for n in notify.notifications].count("letter") == 2
    assert (
        Message.objects.filter(campaign=approved, channel="letter", status=MessageStatus.QUEUED).count() == 1
    )
