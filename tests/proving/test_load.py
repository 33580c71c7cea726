"""The load run's harness works end to end, in a few seconds with two patients (its speed targets are met in
`recordaccess bench_load`, never here): the production shape started as separate processes (gunicorn with the
repository's config, RQ workers, the Notify stand-in), locust's patients walking every page and checking their
progress, a member of staff signing in with a password and an authenticator code and working the waiting list, a
small campaign sending meanwhile; afterwards every submission stored once and every message received once."""

import io
import json
import os
import signal
import socket

import pytest
import redis
import requests
from django.core.management import call_command
from django.db import connection

from recordaccess.core.processes import database_url
from recordaccess.intake.models import AccessRequest
from recordaccess.patients.models import Patient
from recordaccess.proving.shape import ProductionShape

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ports() -> tuple[int, int]:
    """LOAD_TEST_PORT (and the next) when set, as on a machine where each session has its own; else free ones."""
    if chosen := os.environ.get("LOAD_TEST_PORT"):
        return int(chosen), int(chosen) + 1
    return free_port(), free_port()


@pytest.fixture
def shape_redis():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"REQUIRE_REDIS=1 but Redis does not answer at {REDIS_URL}")
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    if connection.vendor != "postgresql":
        pytest.skip(
            "the shape's processes cannot see the in-memory SQLite test database: the PostgreSQL run has it"
        )
    yield REDIS_URL
    redis.Redis.from_url(REDIS_URL).flushdb()


@pytest.mark.django_db(transaction=True)
def test_bench_load_runs_patients_staff_and_a_campaign_against_the_production_shape(shape_redis, tmp_path):
    port, notify_port = ports()
    out = io.StringIO()
    call_command(
        "bench_load",
        *["--patients", "2", "--staff", "1", "--seconds", "8", "--floor-seconds", "2", "--think", "0"],
        *["--registered", "200", "--waiting", "30", "--finish-within", "120"],
        *["--port", str(port), "--notify-port", str(notify_port), "--redis-url", shape_redis],
        *["--run-dir", str(tmp_path / "run"), "--json"],
        stdout=out,
    )
    report = json.loads(out.getvalue())
    assert set(report) == {"figures"}
    figures = {figure["name"]: figure for figure in report["figures"]}
    for figure in report["figures"]:
        assert {"name", "value", "unit", "target", "met"} <= set(figure)
        assert set(figure) - {"name", "value", "unit", "target", "met"} <= {"why"}
        if figure["met"] is False:  # a target not met says why, in the run's own figures
            assert figure["why"], figure
    # What must hold whatever the machine's speed: nothing failed, lost, stored or sent twice.
    for name in (
        "errors (failed requests and walks)",
        "submissions not stored exactly once",
        "acknowledgements not sent exactly once",
        "campaign messages not sent exactly once",
        "server tracebacks in the logs",
    ):
        assert figures[name]["value"] == 0 and figures[name]["met"] is True, figures[name]
    assert figures["complete submissions an hour"]["unit"] == "per hour"  # few or none finish in 8 s
    assert figures["patient page p95"]["value"] > 0 and figures["staff page p95"]["value"] > 0
    assert figures["trivial view rate (floor, /robots.txt)"]["unit"] == "requests/s"
    assert figures["patient page rate, patients not pausing"]["value"] > 0  # the pages' own floor phase

    details = json.loads((tmp_path / "run" / "result.json").read_text())["details"]
    assert details["submissions_completed"] >= 1 and details["pages_phase_submissions"] >= 1
    assert details["processor_use"]["load"]["the web server"] > 0  # where the processor went, by part
    assert details["web_processor_ms_a_request"]["pages"] > 0
    assert details["trivial_requests"] >= 1 and details["trivial_failed"] == 0
    assert details["stored"] == details["submissions_completed"] and details["stored_not_shown"] == 0
    assert details["acknowledgements_expected"] == details["stored"]
    assert details["campaign_recipients"] == 200 and details["campaign_and_acknowledgements_finished"]
    assert details["statuses"].get("staff 200", 0) >= 1  # signed in and saw the waiting list
    assert any(name.startswith("patient: /p/[ods]/request/progress/") for name in details["p95_ms_by_page"])
    # The load practice is left empty for the next run.
    assert not AccessRequest.objects.filter(practice__ods_code="Z90010").exists()
    assert not Patient.objects.filter(practice__ods_code="Z90010").exists()


@pytest.mark.django_db(transaction=True)
def test_the_shape_can_lose_a_worker_and_restart_its_web_server(shape_redis, tmp_path):
    """What a fault run needs: a worker killed and another started, gunicorn restarted on the same port."""
    port, notify_port = ports()
    with ProductionShape(
        database_url(),
        shape_redis,
        port,
        notify_port=notify_port,
        workers=1,
        run_dir=tmp_path / "shape",
        migrate=False,  # the test database is
        collect_static=False,  # no page with assets is asked for
    ) as shape:
        assert requests.get(f"{shape.base_url}/healthz", timeout=10).json()["status"] == "ok"
        first = shape.workers[0]
        shape.kill(first)
        assert first.returncode == -signal.SIGKILL and shape.workers == []
        shape.start_worker()
        old = shape.web.pid
        shape.restart_web()
        assert shape.web.pid != old
        shape.wait_healthy(60)
        assert requests.get(f"{shape.base_url}/robots.txt", timeout=10).status_code == 200
        assert shape.notify_references() == []
        env = shape.env
        assert env["RECORDACCESS_ENV"] == "production" and env["TASKS_BACKEND"] == "rq"
        assert env["NOTIFY_BASE_URL"] == f"http://127.0.0.1:{notify_port}"
    assert all(process.poll() is not None for process in (shape.web, shape.notify_process))
    assert shape.tracebacks() == 0
    assert set(shape.logs) >= {"web", "notify", "worker-1", "worker-2"}
