"""H42: the same request sent twice at the same moment is stored once. The second sender is joined to the first:
the same reference on their screen, one acknowledgement, one entry saying it was received."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from recordaccess.audit.models import AuditEntry
from recordaccess.audit.services import Actor
from recordaccess.intake.models import AccessRequest
from recordaccess.intake.services import RequestDetails, submit
from recordaccess.outreach.models import DirectMessage
from tests.intake.conftest import answer_all

PAIRS = 8


def _send_together(clients: list[Client]) -> list[str]:
    """POST the check page from every client at the same moment; returns the reference each was shown."""
    start = threading.Barrier(len(clients))
    shown = [""] * len(clients)

    def send(i: int, client: Client) -> None:
        try:
            start.wait()
            response = client.post("/p/A81001/request/check/")
            assert response.status_code == 302, response.content.decode()[-2000:]
            shown[i] = client.session["request:A81001:done"]
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return shown


def _same_session(client: Client) -> Client:
    twin = Client()
    twin.cookies = client.cookies
    return twin


@pytest.fixture
def concurrent(practice, settings):
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrent sends need a server database; the in-memory SQLite test database is one connection"
        )
    settings.INTAKE_PER_CLIENT_PER_HOUR = settings.INTAKE_PER_PRACTICE_PER_HOUR = 1000
    # Acknowledgements are counted as the tasks queued for them, in the database.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.TASKS_BACKEND = "db"
    return practice


def _stored_once_each(references: list[list[str]], *, one_session: bool = False) -> None:
    """Each pair shown one reference, stored once. From one session the second send may come after the first
    has finished and be shown the sent page without sending again (no repeat to count), or join it."""
    for pair in references:
        assert pair[0] and pair[0] == pair[1], references
    assert AccessRequest.objects.count() == PAIRS
    repeats = sorted(AccessRequest.objects.values_list("repeats", flat=True))
    assert set(repeats) <= {0, 1} if one_session else repeats == [1] * PAIRS
    assert AuditEntry.objects.filter(action="request.receive").count() == PAIRS
    assert AuditEntry.objects.filter(action="request.repeat").count() == sum(repeats)
    acknowledgements = DirectMessage.objects.filter(reference__startswith="ACK-")
    assert acknowledgements.count() == PAIRS


@pytest.mark.django_db(transaction=True)
def test_a_double_send_from_one_session_at_the_same_moment_is_stored_once(concurrent):
    references = []
    for i in range(PAIRS):
        client = Client()
        answer_all(client, name={"given_name": "Sam", "family_name": f"Double{'abcdefgh'[i]}"})
        references.append(_send_together([client, _same_session(client)]))
    _stored_once_each(references, one_session=True)


@pytest.mark.django_db(transaction=True)
def test_the_same_answers_sent_from_two_sessions_at_the_same_moment_are_stored_once(concurrent):
    references = []
    for i in range(PAIRS):
        name = {"given_name": "Sam", "family_name": f"Twice{'abcdefgh'[i]}"}
        first, second = Client(), Client()
        answer_all(first, name=name)
        answer_all(second, name=name)
        references.append(_send_together([first, second]))
    _stored_once_each(references)


@pytest.mark.django_db
def test_a_second_click_on_send_after_the_first_went_through_shows_the_same_reference(client, practice):
    """A double click handled one after the other: the second send finds the answers already sent and shows the
    reference, not the first question of an empty form."""
    answer_all(client)
    first = client.post("/p/A81001/request/check/")
    shown = client.session["request:A81001:done"]
    again = client.post("/p/A81001/request/check/")
    assert first["Location"] == again["Location"] == "/p/A81001/request/sent/"
    assert shown in client.get(again["Location"]).content.decode()
    assert AccessRequest.objects.count() == 1


@pytest.mark.django_db
def test_a_new_request_after_one_was_sent_starts_the_form_again(client, practice):
    answer_all(client)
    client.post("/p/A81001/request/check/")
    client.post("/p/A81001/request/choice/", {"wish": "no_access"})
    assert client.get("/p/A81001/request/check/")["Location"] == "/p/A81001/request/who/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ago", "joined"),
    [(datetime.timedelta(minutes=9, seconds=50), True), (datetime.timedelta(minutes=10, seconds=10), False)],
)
def test_a_repeat_joins_within_ten_minutes_of_the_first_wherever_the_clock_stands(practice, ago, joined):
    """The window slides with the first request: no fixed ten-minute buckets whose edge would split a repeat."""
    details = RequestDetails(
        wish="no_access",
        given_name="Sam",
        family_name="Edge",
        date_of_birth=datetime.date(1980, 1, 1),
        address="1 Road",
        postcode="LS1 4AP",
    )
    actor = Actor.system("test")
    first, _ = submit(practice=practice, details=details, route="online", actor=actor)
    AccessRequest.objects.filter(pk=first.pk).update(received_at=timezone.now() - ago)
    second, was_joined = submit(practice=practice, details=details, route="online", actor=actor)
    assert was_joined is joined and (second.pk == first.pk) is joined
