import json
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from recordaccess.audit.chain import GENESIS_HASH
from recordaccess.audit.models import AppendOnlyError, AuditEntry
from recordaccess.audit.services import Actor, record
from recordaccess.audit.verify import verify_chain

pytestmark = pytest.mark.django_db

ACTOR = Actor(id=7, name="dr.jones", ip_address="192.0.2.10")


def _write(n: int) -> list[AuditEntry]:
    return [
        record(actor=ACTOR, action="patient.view", practice_ods="A81001", object_type="patient", patient_id=i)
        for i in range(1, n + 1)
    ]


def _verify_fails() -> CommandError:
    with pytest.raises(CommandError) as failure:
        call_command("audit_verify")
    assert failure.value.returncode == 1
    return failure.value


def _tamper(sql: str, params=()):
    """What a database owner could do: switch off the append-only triggers (inside this test's transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        else:
            cursor.execute("DROP TRIGGER audit_entry_no_update")
        cursor.execute(sql, params)


def test_entries_are_numbered_without_gaps_and_each_carries_the_previous_hash():
    entries = _write(3)
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == GENESIS_HASH
    assert entries[1].prev_hash == entries[0].hash
    assert entries[2].prev_hash == entries[1].hash


def test_an_untouched_trail_verifies(capsys):
    _write(5)
    call_command("audit_verify")
    assert "Audit trail intact: 5 entries checked." in capsys.readouterr().out


def test_audit_verify_prints_json_when_asked(capsys):
    _write(2)
    call_command("audit_verify", "--json")
    assert json.loads(capsys.readouterr().out) == {
        "intact": True,
        "entries": 2,
        "broken_at": None,
        "problem": "",
        "checkpoint": None,
        "forged_checkpoints": [],
    }


def test_the_application_cannot_change_or_remove_entries():
    entry = _write(1)[0]
    entry.action = "something else"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(seq=1).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


def test_the_database_refuses_an_update_in_sql():
    _write(1)
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'patient.edit' WHERE seq = 1")


def test_a_row_tampered_with_in_sql_breaks_the_chain_at_that_entry():
    _write(5)
    _tamper("UPDATE audit_auditentry SET actor = 'someone.else' WHERE seq = 3")
    error = _verify_fails()
    assert "#3" in str(error) and "changed after it was written" in str(error)


def test_rehashing_a_tampered_row_still_breaks_the_chain_at_the_next_entry():
    entries = _write(4)
    _tamper("UPDATE audit_auditentry SET hash = %s WHERE seq = 2", ["f" * 64])
    error = _verify_fails()
    assert "#2" in str(error)
    assert verify_chain().broken_at == 2
    assert entries[2].prev_hash != "f" * 64


def test_a_deleted_entry_in_the_middle_is_named():
    _write(5)
    _tamper("DELETE FROM audit_auditentry WHERE seq = 4")
    error = _verify_fails()
    assert "#4 is missing" in str(error)


def test_deleting_the_newest_entries_is_caught_by_the_chains_recorded_end():
    _write(5)
    _tamper("DELETE FROM audit_auditentry WHERE seq >= 4")
    error = _verify_fails()
    assert "#4" in str(error)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrent writers need a server database; the in-memory SQLite test database is one connection"
        )
    errors = []

    def writer():
        try:
            for _ in range(20):
                record(actor=ACTOR, action="patient.view", practice_ods="A81001")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    report = verify_chain()
    assert report.intact and report.entries == 80
