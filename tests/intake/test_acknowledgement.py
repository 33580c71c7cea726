"""The requester is told we have their request, by the channel they chose, once, with no health detail."""

import datetime

import pytest

from recordaccess.audit.services import Actor
from recordaccess.intake import services
from recordaccess.intake.acknowledge import acknowledge_request
from recordaccess.intake.models import AccessRequest
from recordaccess.outreach.content import PRIVATE_WORDS
from recordaccess.outreach.models import OutboxItem

pytestmark = pytest.mark.django_db
DETAILS = dict(
    wish="wants_access",
    given_name="Sam",
    family_name="Jones",
    date_of_birth=datetime.date(1980, 1, 2),
    address="1 Road",
    postcode="LS1 4AP",
    access_level="prospective",
    declarations=True,
)


def submit(practice, **changes):
    details = services.RequestDetails(**{**DETAILS, **changes})
    return services.submit(practice=practice, details=details, route="online", actor=Actor.system("t"))


def test_a_text_goes_once_through_notify_with_the_reference_and_nothing_clinical(practice, notify):
    saved, _ = submit(practice, mobile="07700900123", contact_by="sms")
    assert AccessRequest.objects.get(pk=saved.pk).acknowledgement == "queued"
    assert acknowledge_request.call(saved.pk) == "sent"
    assert acknowledge_request.call(saved.pk) == "already handled"
    again, joined = submit(practice, mobile="07700900123", contact_by="sms")  # a double click
    assert (
        joined and again.pk == saved.pk and AccessRequest.objects.get(pk=saved.pk).acknowledgement == "sent"
    )
    [text] = notify.notifications
    assert text["phone_number"] == "07700 900123" and text["reference"] == f"ACK-{saved.reference}"
    body = text["personalisation"]["body"]
    assert saved.reference_display in body and "Riverside Surgery" in body
    assert not PRIVATE_WORDS.search(body)  # the content rules' list of clinical and risk words


def test_an_email_goes_to_the_outbox_until_notify_is_set_up(practice, client):
    saved, _ = submit(practice, email="sam@example.org", contact_by="email")
    assert acknowledge_request.call(saved.pk) == "sent"
    item = OutboxItem.objects.get()
    assert (item.practice, item.channel, item.to) == (practice, "email", "sam@example.org")
    assert item.subject == "We have your request about your GP record online"


def test_phone_or_letter_needs_no_message_and_none_is_sent(practice, notify):
    saved, _ = submit(practice, mobile="07700900123", contact_by="phone")
    assert AccessRequest.objects.get(pk=saved.pk).acknowledgement == ""
    assert acknowledge_request.call(saved.pk) == "already handled"
    assert notify.notifications == []
