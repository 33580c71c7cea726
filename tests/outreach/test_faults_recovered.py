"""Faults met while sending and printing (issue 17, part 4), each in seconds and without disturbing anything shared:
Notify answering 500s, 429s and losing answers is reported on /healthz and cleared when it answers again, with
every message sent once; the disk full while writing a PDF of letters leaves no part of it, is reported, and the
print is made by itself once there is room; a message stored while Redis is stopped does not fail the request
that stored it and is queued by the heartbeat's sweep once the queue is back. (The full runs, with the shared
services really stopped, are `recordaccess bench_faults`.)"""

import datetime
import json
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction

from recordaccess.audit.services import Actor
from recordaccess.health import services as health
from recordaccess.health.models import ServiceProblem, WorkerHeartbeat
from recordaccess.outreach import direct
from recordaccess.outreach import services as outreach_services
from recordaccess.outreach.direct import send_direct_message, settle_direct_messages
from recordaccess.outreach.models import Campaign, DirectMessage, LetterPrint, PrintStatus
from recordaccess.outreach.services import approve_campaign, set_campaign_sending
from recordaccess.outreach.tasks import retry_letter_prints

pytestmark = pytest.mark.django_db(transaction=True)
APPROVER = Actor.system("approver")
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
NOWHERE = "redis://127.0.0.1:8309/0"  # a port nothing listens on: Redis "stopped", the shared one untouched


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = DB_TASKS
    settings.TASKS_BACKEND = "db"
    health.forget_notes()
    WorkerHeartbeat.objects.create(
        worker="test:1", backend="db", last_seen=datetime.datetime.now(datetime.UTC)
    )


def healthz(client) -> dict:
    WorkerHeartbeat.objects.update(last_seen=datetime.datetime.now(datetime.UTC))
    return json.loads(client.get("/healthz").content)


def drain() -> None:
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay")


def test_notify_refusing_and_losing_answers_is_reported_then_cleared_and_each_message_goes_once(
    client, practice, notify, db_tasks, settings
):
    settings.SEND_RETRY_BASE_SECONDS = 16  # longer than the timeout, as the settings insist
    notify.failures += [(500, {"errors": [{"error": "Exception", "message": "Internal"}]})]
    notify.failures += [(429, {"errors": [{"error": "RateLimitError", "message": "Exceeded"}]})]
    notify.lose_next(1, "502")
    messages = [
        direct.queue(
            practice=practice,
            reference=f"RA-fault-{i}",
            channel="sms",
            to="+447700900001",
            subject="",
            body="Hello",
        )
        for i in range(3)
    ]
    drain()
    body = healthz(client)
    assert body["status"] == "degraded" and client.get("/healthz").status_code == 200
    assert [p["component"] for p in body["problems"]] == ["sending"]
    assert "Notify" in body["problems"][0]["detail"]

    # Notify answers again: the three put off are tried when due (looked up first where the answer was lost).
    DirectMessage.objects.update(next_attempt_at=datetime.datetime.now(datetime.UTC))
    health.forget_notes()
    settle_direct_messages.call()
    drain()
    assert set(DirectMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert Counter(notify.sent_references()) == {m.reference: 1 for m in messages}
    body = healthz(client)
    assert body["problems"] == [] and body["status"] == "ok"
    assert [p["component"] for p in body["recovered"]] == ["sending"]  # failed lately: still seen


def test_the_disk_full_while_writing_letters_leaves_no_part_and_the_print_is_made_by_itself_later(
    client, practice, campaign, db_tasks, settings, tmp_path, monkeypatch
):
    settings.VAR_DIR = tmp_path
    approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk)
    Campaign.objects.filter(pk=campaign.pk).update(
        window_start=datetime.time(0, 0), window_end=datetime.time(23, 59, 59), send_on_sundays=True
    )
    set_campaign_sending(actor=APPROVER, practice=practice, campaign_id=campaign.pk, sending=True)
    drain()
    job = outreach_services.request_letter_print(actor=APPROVER, practice=practice, campaign_id=campaign.pk)

    # /dev/full answers every write with ENOSPC, as a full disk does: the kernel's own error, not ours.
    real_open = outreach_services.open_private
    monkeypatch.setattr(outreach_services, "open_private", lambda path, mode: open("/dev/full", mode))  # noqa: SIM115
    drain()
    job.refresh_from_db()
    assert job.status == PrintStatus.QUEUED and job.retry_at is not None
    assert "No space left on device" in job.error and "tried again by itself" in job.error
    assert list((tmp_path / "letters").iterdir()) == []  # nothing half-written left with names and addresses
    problems = healthz(client)["problems"]
    assert [p["component"] for p in problems] == ["disk"] and "No space left" in problems[0]["detail"]

    # Room again: the heartbeat's sweep queues it when due, and it is made whole, with nobody asking.
    monkeypatch.setattr(outreach_services, "open_private", real_open)
    assert retry_letter_prints.call() == 0  # not due yet
    LetterPrint.objects.filter(pk=job.pk).update(retry_at=datetime.datetime.now(datetime.UTC))
    health.forget_notes()
    assert retry_letter_prints.call() == 1
    assert retry_letter_prints.call() == 0  # claimed: queued once
    drain()
    job.refresh_from_db()
    assert job.status == PrintStatus.DONE and job.error == ""
    pdf = (tmp_path / "letters" / job.path.rsplit("/", 1)[-1]).read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    assert [p.name for p in (tmp_path / "letters").iterdir()] == [job.path.rsplit("/", 1)[-1]]
    assert healthz(client)["problems"] == []


def test_a_message_stored_while_redis_is_stopped_does_not_fail_its_request_and_is_queued_once_it_is_back(
    client, practice, settings
):
    settings.TASKS = {"default": {"BACKEND": "recordaccess.tasks.RQBackend", "QUEUES": ["default"]}}
    settings.TASKS_BACKEND = "rq"
    settings.RQ_QUEUES = {"default": {"URL": NOWHERE, "DEFAULT_TIMEOUT": 60}}
    WorkerHeartbeat.objects.create(
        worker="test:1", backend="rq", last_seen=datetime.datetime.now(datetime.UTC)
    )
    assert healthz(client)["queue"] == "down"

    with transaction.atomic():  # as a request's: the task is queued when it commits, and that fails
        message = direct.queue(
            practice=practice,
            reference="RA-redis-1",
            channel="sms",
            to="+447700900001",
            subject="",
            body="Hi",
        )
    message.refresh_from_db()
    assert message.status == "queued" and message.next_attempt_at is not None  # stored, and due for the sweep

    # The queue is back (the database's, here): the sweep queues it, once.
    settings.TASKS = DB_TASKS
    settings.TASKS_BACKEND = "db"
    assert settle_direct_messages.call()["enqueued"] == 1
    assert settle_direct_messages.call()["enqueued"] == 0
    drain()
    message.refresh_from_db()
    assert message.status == "sent"
    assert healthz(client)["queue"] == "ok"


def test_problems_are_noted_once_in_a_while_and_a_stale_one_is_not_reported(client, db_tasks):
    health.problem("sending", "Notify refused a message: 429")
    health.problem("sending", "Notify refused a message: 429 again")  # within NOTE_EVERY_SECONDS: not written
    assert ServiceProblem.objects.get().detail == "Notify refused a message: 429"
    ServiceProblem.objects.update(last_seen=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1))
    assert healthz(client)["problems"] == []
    health.resolved("sending")
    assert ServiceProblem.objects.get().resolved_at is not None  # kept a while, as recovered


def test_a_killed_worker_shows_as_one_fewer_alive(client, db_tasks):
    now = datetime.datetime.now(datetime.UTC)
    WorkerHeartbeat.objects.create(
        worker="test:2", backend="db", last_seen=now - datetime.timedelta(minutes=5)
    )
    body = json.loads(client.get("/healthz").content)
    assert body["worker"]["status"] == "ok" and body["worker"]["alive"] == 1


def test_send_direct_message_is_a_task():  # the sweep and the on-commit path queue the same task
    assert send_direct_message.name == "send_direct_message"


def test_the_status_page_tells_people_messages_are_delayed_while_a_part_is_failing(client, db_tasks):
    assert "The service is working" in client.get("/status/").content.decode()
    health.problem("sending", "Notify refused a message: 429")
    page = client.get("/status/").content.decode()
    assert "The service has a problem" in page and "Messages and some updates are delayed" in page
