"""Forgeries by someone who can write the database but does not hold the audit key or the checkpoint folder.

Each attack is made in raw SQL, with the append-only triggers switched off as a database owner could, and each
must be named by `recordaccess audit_verify` (exit 1), never pass as "intact".
"""

import hashlib
import json
import os
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from recordaccess.audit.chain import canonical_json
from recordaccess.audit.services import Actor, record

pytestmark = pytest.mark.django_db

ACTOR = Actor(id=7, name="dr.jones", ip_address="192.0.2.10")
COLUMNS = (
    "seq",
    "at",
    "practice_ods",
    "actor_id",
    "actor",
    "ip_address",
    "action",
    "object_type",
    "object_id",
    "patient_id",
    "detail",
)


def _write(n: int) -> None:
    for i in range(1, n + 1):
        record(actor=ACTOR, action="patient.view", practice_ods="A81001", object_type="patient", patient_id=i)


def _as_database_owner(*statements):
    """Switch off the append-only triggers (inside this test's transaction) and run the attacker's SQL."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
        for sql, params in statements:
            cursor.execute(sql, params)


def _plain_hash(prev_hash: str, row: dict) -> str:
    """The published, unkeyed rule: anyone can compute it, so it proves nothing about who wrote the row."""
    body = canonical_json(
        [
            row["seq"],
            row["at"].astimezone(UTC).isoformat(timespec="microseconds"),
            row["practice_ods"],
            row["actor_id"],
            row["actor"],
            row["ip_address"],
            row["action"],
            row["object_type"],
            row["object_id"],
            row["patient_id"],
            row["detail"],
        ]
    )
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def _rows() -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(COLUMNS)}, prev_hash, hash FROM audit_auditentry ORDER BY seq")
        names = [*COLUMNS, "prev_hash", "hash"]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        if isinstance(row["at"], str):
            row["at"] = datetime.fromisoformat(row["at"]).replace(tzinfo=UTC)
        if row["ip_address"] is not None:
            row["ip_address"] = str(row["ip_address"])
    return rows


def _set_head(seq: int, digest: str):
    return ("UPDATE audit_audithead SET last_seq = %s, last_hash = %s WHERE id = 1", [seq, digest])


def _verify_fails(*args) -> str:
    with pytest.raises(CommandError) as failure:
        call_command("audit_verify", *args)
    assert failure.value.returncode == 1
    return str(failure.value)


def test_an_appended_entry_with_a_correctly_computed_plain_hash_is_named_as_forged():
    _write(3)
    last = _rows()[-1]
    forged = {
        "seq": 4,
        "at": datetime(2026, 11, 1, 9, 30, tzinfo=UTC),
        "practice_ods": "A81001",
        "actor_id": 9,
        "actor": "dr.who.was.not.there",
        "ip_address": "192.0.2.99",
        "action": "patient.view",
        "object_type": "patient",
        "object_id": "",
        "patient_id": 2,
        "detail": "",
    }
    digest = _plain_hash(last["hash"], forged)
    _as_database_owner(
        (
            f"INSERT INTO audit_auditentry ({', '.join(COLUMNS)}, prev_hash, hash) "
            f"VALUES ({', '.join(['%s'] * (len(COLUMNS) + 2))})",
            [*(forged[c] for c in COLUMNS), last["hash"], digest],
        ),
        _set_head(4, digest),
    )
    message = _verify_fails()
    assert "#4" in message and "not signed with the audit key" in message


def test_changing_an_entry_and_rehashing_everything_after_it_is_named_at_the_changed_entry():
    _write(5)
    rows = _rows()
    rows[1]["actor"] = "someone.else"
    statements = []
    prev = rows[0]["hash"]
    for row in rows[1:]:
        row["prev_hash"], row["hash"] = prev, _plain_hash(prev, row)
        prev = row["hash"]
        statements.append(
            (
                "UPDATE audit_auditentry SET actor = %s, prev_hash = %s, hash = %s WHERE seq = %s",
                [row["actor"], row["prev_hash"], row["hash"], row["seq"]],
            )
        )
    _as_database_owner(*statements, _set_head(5, prev))
    message = _verify_fails()
    assert "#2" in message and "not signed with the audit key" in message


def test_cutting_off_the_newest_entries_is_named_against_the_checkpoint(capsys):
    _write(5)
    call_command("audit_checkpoint")
    rows = _rows()
    _as_database_owner(("DELETE FROM audit_auditentry WHERE seq >= 4", []), _set_head(3, rows[2]["hash"]))
    message = _verify_fails()
    assert "the trail ends at entry #3 but the checkpoint of" in message
    assert "recorded 5 entries" in message


def test_emptying_the_trail_is_named_against_the_checkpoint():
    _write(5)
    call_command("audit_checkpoint")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_audithead DISABLE TRIGGER USER")
        _as_database_owner(("TRUNCATE audit_auditentry, audit_audithead", []))
    else:
        _as_database_owner(("DELETE FROM audit_auditentry", []), ("DELETE FROM audit_audithead", []))
    message = _verify_fails()
    assert "the trail ends at entry #0 but the checkpoint of" in message
    assert "recorded 5 entries" in message


def test_postgresql_refuses_to_truncate_the_audit_trail():
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's; SQLite's DELETE is caught by the checkpoint")
    _write(2)
    for table, trigger in (
        ("audit_auditentry", "audit_entry_no_truncate"),
        ("audit_audithead", "audit_head_no_truncate"),
    ):
        with transaction.atomic(), connection.cursor() as cursor:
            # The test database lets the test runner empty tables between tests; a real one always refuses.
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
            with pytest.raises(Exception, match="append-only"), transaction.atomic():
                cursor.execute(f"TRUNCATE {table}")
    assert len(_rows()) == 2


def test_a_tail_cut_then_written_over_by_the_service_is_named_by_the_head_hash():
    _write(3)
    call_command("audit_checkpoint")
    rows = _rows()
    _as_database_owner(("DELETE FROM audit_auditentry WHERE seq = 3", []), _set_head(2, rows[1]["hash"]))
    _write(1)  # a genuine, keyed entry takes the number the cut one had
    message = _verify_fails()
    assert (
        "the head hash differs from the checkpoint of" in message and "entry #3 is not the entry" in message
    )


def test_a_trail_checked_with_another_key_says_so(settings):
    _write(2)
    settings.AUDIT_KEY = "another-key-" + "x" * 40
    message = _verify_fails()
    assert "#1" in message and "AUDIT_KEY" in message


def test_entries_written_before_the_chain_was_keyed_stay_valid_once_a_keyed_entry_seals_them(capsys):
    prev = "0" * 64
    statements = []
    for seq in (1, 2):
        row = dict.fromkeys(COLUMNS, "")
        row.update(seq=seq, at=datetime(2026, 11, 1, 9, seq, tzinfo=UTC), actor_id=None, ip_address=None)
        row["patient_id"] = None
        digest = _plain_hash(prev, row)
        statements.append(
            (
                f"INSERT INTO audit_auditentry ({', '.join(COLUMNS)}, prev_hash, hash) "
                f"VALUES ({', '.join(['%s'] * (len(COLUMNS) + 2))})",
                [*(row[c] for c in COLUMNS), prev, digest],
            )
        )
        prev = digest
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO audit_audithead (id, last_seq, last_hash) VALUES (1, 2, %s)", [prev])
    _as_database_owner(*statements)
    message = _verify_fails()
    assert "#2" in message and "not signed with the audit key" in message

    _write(1)
    call_command("audit_verify")
    assert "Audit trail intact: 3 entries checked" in capsys.readouterr().out


def test_a_checkpoint_with_a_bad_signature_is_reported_as_forged(settings):
    _write(2)
    call_command("audit_checkpoint")
    folder = settings.AUDIT_CHECKPOINT_DIR
    (path,) = folder.iterdir()
    forged = json.loads(path.read_text())
    forged["entries"] = 1
    forged_path = folder / path.name.replace(".json", "-1.json")
    forged_path.write_text(json.dumps(forged))
    message = _verify_fails()
    assert forged_path.name in message and "forged" in message


def test_verify_reports_the_checkpoint_it_checked_against_as_json(capsys):
    _write(2)
    call_command("audit_checkpoint", "--json")
    written = json.loads(capsys.readouterr().out)
    assert written["entries"] == 2 and len(written["head_hash"]) == 64
    call_command("audit_verify", "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["intact"] is True and report["entries"] == 2
    assert report["checkpoint"] == {"at": written["at"], "entries": 2, "file": written["file"]}
    assert report["forged_checkpoints"] == []


def test_a_tail_cut_is_one_json_object_naming_the_problem(capsys):
    _write(4)
    call_command("audit_checkpoint")
    capsys.readouterr()
    rows = _rows()
    _as_database_owner(("DELETE FROM audit_auditentry WHERE seq = 4", []), _set_head(3, rows[2]["hash"]))
    with pytest.raises(CommandError):
        call_command("audit_verify", "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["intact"] is False
    assert report["broken_at"] == 4
    assert "recorded 4 entries" in report["problem"]


def test_checkpoints_are_files_only_the_service_can_read(settings, capsys):
    _write(1)
    call_command("audit_checkpoint")
    folder = settings.AUDIT_CHECKPOINT_DIR
    assert os.stat(folder).st_mode & 0o777 == 0o700
    (path,) = folder.iterdir()
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert "Checkpoint written: 1 entries" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_the_worker_writes_a_checkpoint_with_its_heartbeat_when_none_is_recent(settings):
    from recordaccess.health.management.commands.worker import periodic_tasks

    PERIODIC_TASKS = [periodic.module_path for periodic in periodic_tasks()]
    assert "recordaccess.audit.tasks.checkpoint_audit_trail" in PERIODIC_TASKS
    from recordaccess.audit.tasks import checkpoint_audit_trail

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.TASKS_BACKEND = "db"
    _write(2)
    checkpoint_audit_trail.enqueue()
    checkpoint_audit_trail.enqueue()
    call_command("worker", "--batch")
    (path,) = settings.AUDIT_CHECKPOINT_DIR.iterdir()  # the second run found the first one recent
    assert json.loads(path.read_text())["entries"] == 2


def test_upgrading_seals_the_entries_written_before_the_chain_was_keyed(capsys):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("recordaccess.audit.migrations.0003_keyed_chain")
    prev = "0" * 64
    with connection.cursor() as cursor:
        for seq in (1, 2, 3):
            row = dict.fromkeys(COLUMNS, "")
            row.update(seq=seq, at=datetime(2026, 11, 1, 9, seq, tzinfo=UTC), actor_id=None, ip_address=None)
            row["patient_id"] = None
            digest = _plain_hash(prev, row)
            cursor.execute(
                f"INSERT INTO audit_auditentry ({', '.join(COLUMNS)}, prev_hash, hash) "
                f"VALUES ({', '.join(['%s'] * (len(COLUMNS) + 2))})",
                [*(row[c] for c in COLUMNS), prev, digest],
            )
            prev = digest
        cursor.execute("INSERT INTO audit_audithead (id, last_seq, last_hash) VALUES (1, 3, %s)", [prev])

    migration.seal_unkeyed_entries(apps, connection.schema_editor())

    call_command("audit_verify")
    assert "Audit trail intact: 4 entries checked" in capsys.readouterr().out
    seal = _rows()[-1]
    assert (seal["action"], seal["detail"]) == ("audit.chain_keyed", '{"unkeyed_entries":3}')
    _as_database_owner(("UPDATE audit_auditentry SET actor = 'someone.else' WHERE seq = 2", []))
    assert "#2" in _verify_fails()


def test_the_documented_database_role_can_append_entries_and_nothing_more():
    if connection.vendor != "postgresql":
        pytest.skip("database roles are PostgreSQL's")
    from pathlib import Path

    role = f"app_{connection.settings_dict['NAME']}"[:60]  # CREATE ROLE is undone with the test's transaction
    sql = (Path(__file__).parents[2] / "docs" / "sql" / "app-role.sql").read_text()
    statements = [s for s in sql.replace("recordaccess_app", role).split(";") if s.strip(" \n-")]
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOSUPERUSER")
        for statement in statements:
            cursor.execute("\n".join(line for line in statement.splitlines() if not line.startswith("--")))
        cursor.execute(f"SET LOCAL ROLE {role}")
    _write(2)
    call_command("audit_verify")
    for attempt in (
        "UPDATE audit_auditentry SET actor = 'x' WHERE seq = 1",
        "DELETE FROM audit_auditentry WHERE seq = 2",
        "TRUNCATE audit_auditentry",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER USER",
        "DELETE FROM audit_audithead",
    ):
        with (
            pytest.raises(Exception, match=r"permission denied|must be owner"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(attempt)


def test_bench_audit_prints_its_figures_and_leaves_nothing_in_the_trail(capsys):
    _write(1)
    call_command("bench_audit", "--entries", "20", "--json")
    figures = json.loads(capsys.readouterr().out)
    assert figures["entries_written"] == 20 and figures["verify_entries"] == 21
    assert figures["write_ms_p95"] >= figures["write_ms_p50"] > 0
    assert len(_rows()) == 1


def test_a_checkpoint_folder_that_cannot_be_used_is_named_not_a_traceback(settings, tmp_path):
    _write(1)
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "not-a-folder"
    settings.AUDIT_CHECKPOINT_DIR.write_text("")
    for command in ("audit_checkpoint", "audit_verify"):
        with pytest.raises(CommandError) as failure:
            call_command(command)
        assert failure.value.returncode == 2
        assert "not-a-folder" in str(failure.value)


def test_a_checkpoint_is_never_written_over_a_cut_or_forged_trail(settings):
    _write(4)
    call_command("audit_checkpoint")
    rows = _rows()
    _as_database_owner(("DELETE FROM audit_auditentry WHERE seq = 4", []), _set_head(3, rows[2]["hash"]))
    with pytest.raises(CommandError) as failure:
        call_command("audit_checkpoint")
    assert failure.value.returncode == 1
    assert "the trail ends at entry #3" in str(failure.value)
    assert len(list(settings.AUDIT_CHECKPOINT_DIR.iterdir())) == 1


def test_a_hash_of_any_characters_is_named_not_a_traceback():
    _write(2)
    _as_database_owner(
        ("UPDATE audit_auditentry SET hash = %s WHERE seq = 2", ["é" * 64]), _set_head(2, "é" * 64)
    )
    assert "#2" in _verify_fails()


def test_verify_warns_when_the_newest_checkpoint_is_older_than_two_intervals(settings, capsys):
    _write(1)
    call_command("audit_checkpoint")
    capsys.readouterr()
    call_command("audit_verify")
    assert "is a worker running?" not in capsys.readouterr().out
    settings.AUDIT_CHECKPOINT_SECONDS = 0  # as if two intervals had passed since it was written
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert "Audit trail intact: 1 entries checked." in out and "is a worker running?" in out
