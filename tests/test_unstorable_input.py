"""Input no database can store (a NUL byte, half a surrogate pair) is refused with a plain 400 wherever it
arrives, on SQLite and PostgreSQL alike: it never reaches a query, so it is never a server error."""

import json

import pytest
from django.urls import reverse

from recordaccess.practices.roles import Role
from tests import factories
from tests.review.conftest import waiting_request

pytestmark = pytest.mark.django_db
TOKEN = "a-long-random-callback-token-0123456789"


def refused(response, where: str = "") -> bool:
    page = response.content.decode()
    return response.status_code == 400 and "cannot be stored" in page and where in page


def test_a_nul_in_a_public_path_is_refused(client, practice):
    assert refused(client.get(f"/p/{practice.ods_code}%00/"), "the address")
    assert refused(client.get("/r/abcdefghi%00/"))
    assert refused(client.get(f"/p/{practice.ods_code}/book/ab%00cd/"))


def test_a_nul_in_a_public_query_string_is_refused(client, practice):
    assert refused(client.get(f"/p/{practice.ods_code}/?from=%00"))
    assert refused(client.get(f"/p/{practice.ods_code}/request/name/?from=check%00"))


def test_a_nul_in_the_staff_patient_search_is_refused(client, practice):
    factories.sign_in(client, factories.staff(practice, Role.RECEPTION))
    search = reverse("staff:patients", kwargs={"ods": practice.ods_code})
    assert refused(client.get(search, {"q": "smith\x00"}), "the query string's field “q”")
    assert client.get(search, {"q": "smith"}).status_code == 200


def test_a_nul_in_a_form_field_is_refused(client, practice):
    progress = reverse("intake:request_status", kwargs={"ods": practice.ods_code})
    answers = {"reference": "K7M2\x00Q9XD", "day": "1", "month": "2", "year": "1980"}
    assert refused(client.post(progress, answers))


def test_a_nul_in_a_staff_form_field_is_refused(client, practice):
    item = waiting_request(practice)
    factories.sign_in(client, factories.staff(practice, Role.REVIEWER))
    page = reverse("staff:request_need", kwargs={"ods": practice.ods_code, "request_id": item.pk})
    assert refused(client.post(page, {"need": "", "note": "Asked twice\x00"}), "the form field “note”")
    item.refresh_from_db()
    assert item.need_note == ""


def test_a_nul_in_a_cookie_is_refused(client, practice):
    client.cookies["sessionid"] = "\x00abcdefghijklmnop"  # sent quoted, as an octal escape Django unquotes
    assert refused(client.get(f"/p/{practice.ods_code}/"))


def test_a_nul_in_a_header_is_refused(client, practice):
    assert refused(client.get(f"/p/{practice.ods_code}/", headers={"User-Agent": "x\x00"}), "a header")


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        ("notify_receipts", {"id": "x", "reference": "RA-1-1\x00", "status": "delivered"}),
        ("notify_inbound", {"id": "in-1\x00", "source_number": "07700900001", "message": "YES"}),
        ("notify_inbound", {"id": "in-1", "source_number": "07700900001", "message": "YES\x00"}),
        ("notify_inbound", {"id": "in-1", "source_number": "07700900001", "message": "YES\ud800"}),
        ("notify_inbound", {"id": "in-1", "source_number": "07700900001", "message": {"nested\x00": 1}}),
    ],
)
def test_a_nul_or_half_a_surrogate_pair_in_a_notify_callback_is_refused(client, settings, path, payload):
    settings.NOTIFY_CALLBACK_TOKEN = TOKEN
    response = client.post(
        reverse(path),
        json.dumps(payload),
        content_type="application/json",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert refused(response)


def test_other_control_characters_are_left_to_the_forms_that_drop_them(client, practice):
    """A tab or an escape pasted into a name is not the database's problem: the form's own rule applies."""
    client.post(reverse("intake:request_step", args=[practice.ods_code, "choice"]), {"wish": "wants_access"})
    client.post(reverse("intake:request_step", args=[practice.ods_code, "who"]), {"who": "myself"})
    response = client.post(
        reverse("intake:request_step", args=[practice.ods_code, "name"]),
        {"given_name": "Ann\x1b", "family_name": "Smith"},
    )
    assert response.status_code == 302
    assert client.session[f"request:{practice.ods_code}"]["name"]["given_name"] == "Ann"
