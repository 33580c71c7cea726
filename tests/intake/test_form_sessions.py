"""H44: the form keeps its answers in the patient's session, written only when an answer changes. A page view
writes nothing, so on the embedded database it never waits for SQLite's one write lock behind other patients."""

import pytest
from django.db import connection

from recordaccess.intake.models import AccessRequest
from tests.intake.conftest import answer_all

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "BEGIN", "SAVEPOINT")


class Statements(list):
    """Every SQL statement the database is sent while in use (Django's query log is reset by each request)."""

    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)

    def writes(self) -> list[str]:
        return [sql for sql in self if sql.lstrip().upper().startswith(WRITES)]


def test_viewing_a_page_of_the_form_writes_nothing_to_the_database(client, practice):
    client.post("/p/A81001/request/choice/", {"wish": "wants_access"})
    client.post("/p/A81001/request/who/", {"who": "myself"})
    seen = Statements()
    with connection.execute_wrapper(seen):
        for page in ("choice", "who", "name"):
            assert client.get(f"/p/A81001/request/{page}/").status_code == 200
    assert seen and seen.writes() == []


def test_answers_survive_from_page_to_page_and_are_sent_as_given(client, practice):
    answer_all(client, name={"given_name": "Ada", "family_name": "Lovelace"})
    assert 'value="Lovelace"' in client.get("/p/A81001/request/name/").content.decode()
    check = client.get("/p/A81001/request/check/").content.decode()
    assert "Lovelace" in check and "LS1 4AP" in check
    client.post("/p/A81001/request/check/")
    assert AccessRequest.objects.get().family_name == "Lovelace"
