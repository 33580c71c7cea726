import json
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from recordaccess.health.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def _health(client):
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


def test_healthy_when_the_database_answers_and_a_worker_ran_a_task_lately(client):
    WorkerHeartbeat.objects.create(worker="host:1", backend="db", last_seen=timezone.now())
    status, body = _health(client)
    assert status == 200
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["worker"]["status"] == "ok"
    assert body["worker"]["last_heartbeat"] is not None


def test_unavailable_when_no_worker_has_ever_reported(client):
    status, body = _health(client)
    assert status == 503
    assert body["worker"] == {"status": "down", "last_heartbeat": None, "alive": 0}
    assert body["database"] == "ok"


def test_unavailable_when_the_last_heartbeat_is_stale(client, settings):
    settings.WORKER_HEARTBEAT_SECONDS = 30
    WorkerHeartbeat.objects.create(
        worker="host:1", backend="db", last_seen=timezone.now() - timedelta(minutes=2)
    )
    status, body = _health(client)
    assert status == 503
    assert body["worker"]["status"] == "down"


def test_the_newest_heartbeat_of_several_workers_counts(client):
    WorkerHeartbeat.objects.create(worker="a:1", backend="rq", last_seen=timezone.now() - timedelta(hours=1))
    WorkerHeartbeat.objects.create(worker="b:2", backend="rq", last_seen=timezone.now())
    assert _health(client)[0] == 200


def test_unavailable_when_the_database_does_not_answer(client, monkeypatch):
    WorkerHeartbeat.objects.create(worker="host:1", backend="db", last_seen=timezone.now())

    def refuse(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    status, body = _health(client)
    assert status == 503
    assert body["database"] == "down"
    assert body["status"] == "unhealthy"


def test_health_is_never_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]


def test_robots_keep_search_engines_off_staff_pages_reply_links_and_the_api_without_touching_the_database(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert {"Disallow: /staff/", "Disallow: /r/", "Disallow: /api/"} <= set(lines)
    assert "Disallow: /" not in lines  # the practices' public pages stay findable


def test_a_page_asked_for_while_the_database_is_away_is_a_503_to_try_again_not_a_server_error(
    client, monkeypatch
):
    from recordaccess.health import selectors

    def away():
        from django.db import OperationalError  # as Django raises the driver's, wrapped

        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(selectors, "last_heartbeat", lambda: away())
    monkeypatch.setattr(selectors, "database_ok", lambda: True)
    client.raise_request_exception = False
    response = client.get("/status/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "try again in a minute" in response.content.decode()
