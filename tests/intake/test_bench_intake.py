"""The form's burst benchmark runs end to end and reports its figures (the speed target is met in the benchmark,
not here): the app started as the README starts it, browsers walking every page, concurrent double sends joined,
every reference stored once and acknowledged once (H42, H44)."""

import io
import json
import os
import subprocess
import sys

import django_rq
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from recordaccess.intake.models import AccessRequest
from recordaccess.patients.models import Patient

SMALL = ["--browsers", "4", "--seconds", "3", "--think", "0.05", "--double-every", "2", "--patients", "300"]


def _check(result: dict, server: str) -> None:
    assert result["server"] == server
    assert result["server_errors"] == 0 and result["server_tracebacks"] == 0, result
    assert result["failed"] == 0 and result["refused"] == 0, result["failures_sample"]
    assert result["patients_sent"] >= 4 and result["page_requests"] > 40
    assert result["references_stored_once"] and result["duplicates"] == 0 and result["lost"] == 0
    assert result["stored"] == result["patients_sent"]
    assert result["doubles_by_kind"]["one session"] >= 1 and result["doubles_by_kind"]["two sessions"] >= 1
    assert result["doubles_joined"] == result["doubles"]
    assert result["acknowledged"] == result["stored"] and result["acknowledged_twice"] == 0
    assert result["page_p95_s"] > 0 and result["submission_p95_s"] > 0


def test_bench_intake_on_the_embedded_default_serves_the_form_and_joins_double_sends(tmp_path):
    """runserver on SQLite, in a database of its own (child processes cannot see the in-memory test database)."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}"}
    env.pop("TASKS_BACKEND", None)

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "recordaccess", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    migrated = run("migrate", "--verbosity", "0")
    assert migrated.returncode == 0, migrated.stderr
    bench = run("bench_intake", *SMALL, "--json")
    assert bench.returncode == 0, bench.stderr[-3000:]
    _check(json.loads(bench.stdout.strip().splitlines()[-1]), "runserver")


@pytest.mark.django_db(transaction=True)
def test_bench_intake_on_postgresql_with_gunicorn_joins_double_sends():
    if connection.vendor != "postgresql":
        pytest.skip("gunicorn's workers are child processes: on SQLite the test above runs the benchmark")
    if settings.TASKS_BACKEND == "rq":
        # Tasks earlier tests enqueued point at rows their rollback removed: the benchmark's own worker would
        # take them first and log their tracebacks as if the benchmark had raised them.
        django_rq.get_queue("default").empty()
    out = io.StringIO()
    call_command("bench_intake", *SMALL, "--json", stdout=out)
    _check(json.loads(out.getvalue()), "gunicorn")
    assert not AccessRequest.objects.exists() and not Patient.objects.exists()  # the database left as it was
