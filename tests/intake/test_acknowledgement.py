"""The requester is told we have their request, by the channel they chose, once, with no health detail."""

import datetime

import pytest
from django.core.management import call_command

from recordaccess.audit.services import Actor
from recordaccess.intake import acknowledge, services
from recordaccess.outreach.content import PRIVATE_WORDS
from recordaccess.outreach.direct import send_direct_message, settle_direct_messages
from recordaccess.outreach.models import DirectMessage, OutboxItem

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
    assert acknowledgement(saved) == "queued"
    send_queued()
    assert acknowledgement(saved) == "sent"
    again, joined = submit(practice, mobile="07700900123", contact_by="sms")  # a double click
    send_queued()
    assert joined and again.pk == saved.pk and acknowledgement(saved) == "sent"
    [text] = notify.notifications
    assert text["phone_number"] == "07700 900123" and text["reference"] == f"ACK-{saved.reference}"
    body = text["personalisation"]["body"]
    assert saved.reference_display in body and "Riverside Surgery" in body
    assert not PRIVATE_WORDS.search(body)  # the content rules' list of clinical and risk words


def test_an_email_goes_to_the_outbox_until_notify_is_set_up(practice, client):
    saved, _ = submit(practice, email="sam@example.org", contact_by="email")
    send_queued()
    assert acknowledgement(saved) == "sent"
    item = OutboxItem.objects.get()
    assert (item.practice, item.channel, item.to) == (practice, "email", "sam@example.org")
    assert item.subject == "We have your request about your GP record online"


def test_phone_or_letter_needs_no_message_and_none_is_sent(practice, notify):
    saved, _ = submit(practice, mobile="07700900123", contact_by="phone")
    send_queued()
    assert acknowledgement(saved) == "" and not DirectMessage.objects.exists()
    assert notify.notifications == []


def acknowledgement(request) -> str:
    """How the request's acknowledgement went: the status of its message, or '' when none is needed."""
    message = DirectMessage.objects.filter(reference=acknowledge.reference(request)).first()
    return message.status if message else ""


def send_queued() -> None:
    for pk in DirectMessage.objects.filter(status="queued").values_list("pk", flat=True):
        send_direct_message.call(pk)


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_an_acknowledgement_whose_answer_was_lost_is_found_by_reference_not_sent_again(
    practice, notify, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.SEND_RETRY_BASE_SECONDS = 0
    notify.lose_next(1, "502")
    saved, _ = submit(practice, mobile="07700900123", contact_by="sms")
    run_worker()  # Notify takes it, and the answer is lost
    settle_direct_messages.call()  # the heartbeat: what is due goes back to the worker
    run_worker()
    assert notify.sent_references() == [f"ACK-{saved.reference}"]
    assert acknowledgement(saved) == "sent"
