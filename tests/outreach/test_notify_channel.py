"""The real Notify client talking HTTP to a local server that speaks Notify's API and checks the JWT."""

import datetime

import pytest
from django.utils import timezone

from recordaccess.outreach.channels import NotifyChannel
from recordaccess.outreach.models import Message, MessageStatus, OutboxItem
from recordaccess.outreach.selectors import sample_values
from recordaccess.outreach.sending import claim, deliver, reconcile, rendered_for, send_batch
from recordaccess.outreach.services import approve_campaign
from tests.notify_server import API_KEY, FakeNotify
from tests.outreach.conftest import APPROVER

pytestmark = pytest.mark.django_db
SMS_TEMPLATE, EMAIL_TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a", "a7f3c2d1-0b4e-4f5a-9c8d-7e6f5a4b3c2d"


@pytest.fixture
def notify(settings):
    with FakeNotify() as server:
        settings.NOTIFY_API_KEY, settings.NOTIFY_BASE_URL = API_KEY, server.url
        settings.NOTIFY_SMS_TEMPLATE_ID, settings.NOTIFY_EMAIL_TEMPLATE_ID = SMS_TEMPLATE, EMAIL_TEMPLATE
        yield server


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
    assert len(notify.notifications) == len(set(notify.sent_references())) == 3  # letters print in-house
    assert OutboxItem.objects.filter(message__channel="letter").count() == 3
    assert set(Message.objects.filter(campaign=approved).values_list("status", flat=True)) == {"sent"}


def test_a_worker_killed_after_notify_accepted_is_settled_by_looking_up_the_reference(approved, notify):
    channel = NotifyChannel()
    ids = claim(approved, 10)
    first = Message.objects.filter(pk__in=ids, channel="sms").first()
    values = sample_values(approved.practice, "http://testserver")
    channel.send(
        first, rendered_for(first, values)
    )  # Notify has it... and the worker dies before recording it
    later = timezone.now() + datetime.timedelta(minutes=11)
    assert reconcile(approved, channel, now=later)["sent"] == 1
    while send_batch(approved, channel):
        pass
    assert notify.sent_references().count(first.reference) == 1


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
    assert Message.objects.get(pk=ids[0]).error.startswith("429")


def test_a_wrong_api_key_never_marks_patients_unreachable(approved, notify, settings):
    settings.NOTIFY_API_KEY = API_KEY[:-1] + ("0" if API_KEY[-1] != "0" else "1")
    channel = NotifyChannel()
    send_batch(approved, channel, size=10)
    assert not Message.objects.filter(status=MessageStatus.PERMANENT_FAILURE, campaign=approved).exists()
    assert notify.notifications == []
