"""Acknowledgements recorded on requests before they moved onto the direct-message path keep their state, and one
a crash left "sending" is looked up at Notify before anything is sent (migration intake.0009_b)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from recordaccess.outreach.models import DirectMessage
from tests import factories

BEFORE = [("intake", "0008_waiting_count_index"), ("outreach", "0012_look_up_first")]
AFTER = [("intake", "0009_acknowledgements_as_direct_messages")]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_each_recorded_acknowledgement_becomes_its_direct_message_in_the_state_it_had():
    practice = factories.practice("A81001", name="Riverside Surgery")
    AccessRequest = migrate(BEFORE).loader.project_state(BEFORE).apps.get_model("intake", "AccessRequest")
    sent_at = datetime.datetime(2026, 11, 20, 9, 30, tzinfo=datetime.UTC)
    for reference, state, contact in [
        ("aaaa1111", "sent", "sms"),
        ("bbbb2222", "sending", "sms"),
        ("cccc3333", "queued", "email"),
        ("dddd4444", "failed", "sms"),
        ("eeee5555", "", "phone"),
    ]:
        AccessRequest.objects.create(
            practice_id=practice.pk,
            reference=reference,
            route="online",
            wish="wants_access",
            given_name="Sam",
            family_name="Jones",
            date_of_birth=datetime.date(1980, 1, 2),
            address="1 Road",
            postcode="LS1 4AP",
            mobile="07700900123",
            email="sam@example.org",
            contact_by=contact,
            fingerprint=reference,
            acknowledgement=state,
            acknowledged_at=sent_at if state == "sent" else None,
        )
    try:
        migrate(AFTER)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    messages = {m.reference: m for m in DirectMessage.objects.all()}
    assert set(messages) == {"ACK-aaaa1111", "ACK-bbbb2222", "ACK-cccc3333", "ACK-dddd4444"}
    sent, sending, queued, failed = (
        messages[f"ACK-{r}"] for r in ("aaaa1111", "bbbb2222", "cccc3333", "dddd4444")
    )
    assert (sent.status, sent.sent_at, sent.channel, sent.to) == ("sent", sent_at, "sms", "07700 900123")
    assert (sending.status, sending.look_up_first) == ("queued", True)  # it may have gone: look it up first
    assert (queued.status, queued.look_up_first, queued.channel, queued.to) == (
        "queued",
        False,
        "email",
        "sam@example.org",
    )
    assert queued.subject == "We have your request about your GP record online"
    assert "Riverside Surgery" in queued.body and "CCCC-3333" in queued.body
    assert failed.status == "failed"
