"""audit.services.appended_at_the_end: a long transaction's entries are chained as it ends, so the trail's head is
locked for the moment of writing them, not for all the transaction's work (every staff page view waits for that
lock). Entries still land with their change or not at all, in order, and the chain still verifies."""

import threading

import pytest
from django.db import connection, connections, transaction

from recordaccess.audit.models import AuditEntry
from recordaccess.audit.services import Actor, appended_at_the_end, record
from recordaccess.audit.verify import verify_chain

pytestmark = pytest.mark.django_db

ACTOR = Actor(id=7, name="dr.jones", ip_address="192.0.2.10")


def test_the_blocks_entries_are_chained_in_order_as_it_ends_and_verify():
    record(actor=ACTOR, action="before")
    with transaction.atomic(), appended_at_the_end():
        first = record(actor=ACTOR, action="request.receive", object_id=1, detail={"route": "online"})
        record(actor=ACTOR, action="request.match", object_id=1)
        assert AuditEntry.objects.count() == 1, "nothing is chained until the block ends"
        assert first.seq is None
    record(actor=ACTOR, action="after")
    entries = list(AuditEntry.objects.order_by("seq").values_list("seq", "action"))
    assert entries == [(1, "before"), (2, "request.receive"), (3, "request.match"), (4, "after")]
    assert first.seq == 2 and first.hash
    report = verify_chain()
    assert report.intact and report.entries == 4


def test_a_block_ended_by_an_error_records_nothing_as_its_transaction_changes_nothing():
    with pytest.raises(ValueError), transaction.atomic(), appended_at_the_end():
        record(actor=ACTOR, action="request.receive")
        raise ValueError("the send failed")
    assert not AuditEntry.objects.exists()
    record(actor=ACTOR, action="after")
    assert verify_chain().intact


def test_nested_blocks_append_once_at_the_outermost_end():
    with transaction.atomic(), appended_at_the_end():
        record(actor=ACTOR, action="one")
        with transaction.atomic(), appended_at_the_end():
            record(actor=ACTOR, action="two")
        assert not AuditEntry.objects.exists()
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["one", "two"]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_is_refused():
    with pytest.raises(RuntimeError, match="inside a transaction"), appended_at_the_end():
        pass


@pytest.mark.django_db(transaction=True)
def test_other_writers_are_not_held_while_the_block_works():
    """Before: the first record() locked the head until the transaction ended, and a staff page view's entry
    waited for all the work after it."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrent writers need a server database; the in-memory SQLite test database is one connection"
        )
    working, done = threading.Event(), threading.Event()
    other: list = []

    def staff_view():
        try:
            working.wait(10)
            record(actor=ACTOR, action="waiting.view")
            other.append("written")
        finally:
            done.set()
            connections.close_all()

    thread = threading.Thread(target=staff_view)
    thread.start()
    with transaction.atomic(), appended_at_the_end():
        record(actor=ACTOR, action="request.receive")
        working.set()
        assert done.wait(10), "the staff member's entry waited for the patient's whole transaction"
    thread.join()
    assert other == ["written"]
    assert list(AuditEntry.objects.order_by("seq").values_list("action", flat=True)) == [
        "waiting.view",
        "request.receive",
    ]
    assert verify_chain().intact
