"""Creating an access request through the API: the online form's checks, matching and acknowledgement, once per
Idempotency-Key, and every problem named by field in the one error shape."""

import datetime
import json
import threading

import pytest
from django.db import connection, connections
from django.test import Client

from recordaccess.api.intake import details_from
from recordaccess.api.models import IdempotencyKey
from recordaccess.intake.models import AccessRequest, MatchStatus
from recordaccess.outreach.direct import send_direct_message
from recordaccess.outreach.models import DirectMessage
from recordaccess.patients.models import Patient
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db
URL = "/api/v1/practices/A81001/requests"
BODY = {
    "wish": "wants_access",
    "given_name": "Sam",
    "family_name": "Jones",
    "date_of_birth": "1980-01-02",
    "address": "1 Road\nLeeds",
    "postcode": "ls1 4ap",
    "nhs_number": "",
    "mobile": "07700 900123",
    "contact_by": "sms",
    "access_level": "prospective",
    "services": ["appointments"],
    "declarations": True,
}


def post(client, secret, body=BODY, key="key-1"):
    headers = bearer(secret) | ({"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {})
    return client.post(URL, data=json.dumps(body), content_type="application/json", **headers)


def send_queued() -> None:
    for pk in DirectMessage.objects.filter(status="queued").values_list("pk", flat=True):
        send_direct_message.call(pk)


def test_a_request_is_taken_in_matched_and_acknowledged_as_the_online_form_would(
    client, practice, make_token, notify
):
    Patient.objects.create(
        practice=practice,
        nhs_number="4857773456",
        given_name="Sam",
        family_name="Jones",
        date_of_birth=datetime.date(1980, 1, 2),
        postcode="LS1 4AP",
    )
    response = post(client, make_token(practice=practice))
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["acknowledgement"] == "sms" and answer["repeat_of_earlier"] is False
    saved = AccessRequest.objects.get()
    assert saved.reference_display == answer["reference"]
    assert (saved.route, saved.postcode, saved.appointments) == ("online", "LS1 4AP", True)
    assert saved.match_status == MatchStatus.MATCHED and saved.patient is not None
    send_queued()
    [text] = notify.notifications
    assert text["reference"] == f"ACK-{saved.reference}" and text["phone_number"] == "07700 900123"
    assert "matched" not in json.dumps(answer)  # the caller is never told whether the person is registered


def test_the_same_key_and_body_twice_make_one_request_one_acknowledgement_and_the_same_answer(
    client, practice, make_token, notify
):
    secret = make_token(practice=practice)
    first, second = post(client, secret), post(client, secret)
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json()
    send_queued()
    assert AccessRequest.objects.count() == 1
    assert DirectMessage.objects.count() == 1 and len(notify.notifications) == 1


def test_the_same_key_with_another_body_is_a_conflict_and_changes_nothing(client, practice, make_token):
    secret = make_token(practice=practice)
    assert post(client, secret).status_code == 201
    response = post(client, secret, {**BODY, "given_name": "Samuel"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert AccessRequest.objects.count() == 1


def test_a_new_key_for_the_same_details_joins_the_earlier_request_as_the_form_does(
    client, practice, make_token
):
    secret = make_token(practice=practice)
    first = post(client, secret, key="one").json()
    again = post(client, secret, key="two").json()
    assert again["reference"] == first["reference"] and again["repeat_of_earlier"] is True
    assert AccessRequest.objects.count() == 1


def test_every_problem_is_named_by_its_field_in_the_one_shape(client, practice, make_token):
    body = {
        **BODY,
        "given_name": "S4m",
        "date_of_birth": "2999-01-01",
        "postcode": "nowhere",
        "mobile": "",
        "declarations": False,
    }
    response = post(client, make_token(practice=practice), body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (422, "invalid")
    assert {f["field"]: f["message"] for f in error["fields"]} == {
        "given_name": "First name must only include letters, spaces, hyphens and apostrophes",
        "date_of_birth": "Date of birth must be in the past",
        "postcode": "Enter a real postcode, like LS1 4AP",
        "mobile": "Enter a UK mobile number, or choose another way to contact you",
        "declarations": "Confirm each statement to ask for access",
    }
    assert AccessRequest.objects.count() == 0 and IdempotencyKey.objects.count() == 0


def test_a_value_of_the_wrong_kind_and_a_missing_key_are_named_in_the_same_shape(
    client, practice, make_token
):
    secret = make_token(practice=practice)
    response = post(client, secret, {**BODY, "wish": "maybe", "services": "x"}, key=None)
    assert response.status_code == 422
    fields = {f["field"] for f in response.json()["error"]["fields"]}
    assert {"wish", "services", "Idempotency-Key"} <= fields
    bad_date = post(client, secret, {**BODY, "date_of_birth": "2/1/1980"})
    assert [f["field"] for f in bad_date.json()["error"]["fields"]] == ["date_of_birth"]


def test_a_question_needs_no_declarations_and_its_pages_that_do_not_apply_are_ignored():
    details = details_from(
        {**BODY, "wish": "has_questions", "question": "Can my son see it?", "declarations": False}
    )
    assert details.question == "Can my son see it?"
    assert (details.access_level, details.appointments, details.declarations) == ("", False, False)


@pytest.mark.django_db(transaction=True)
def test_two_calls_at_once_with_one_key_make_one_request(practice, make_token):
    """H110: the unique constraint holds under a concurrent retry: both calls answer the same, one request."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrent calls need a server database; the in-memory SQLite test database is one connection"
        )
    secret = make_token(practice=practice)
    start = threading.Barrier(2)
    answers = [None, None]

    def call(i: int) -> None:
        try:
            start.wait()
            answers[i] = post(Client(), secret).json()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=call, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers[0] == answers[1] and answers[0]["reference"]
    assert AccessRequest.objects.count() == 1 and IdempotencyKey.objects.count() == 1
    assert DirectMessage.objects.filter(reference__startswith="ACK-").count() == 1
