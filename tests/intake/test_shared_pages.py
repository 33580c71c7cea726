"""H121: a blank page of the form is rendered once and then stamped with each visitor's own CSRF token and CSP
nonce (recordaccess/core/pages.py). Each visitor must get exactly what a fresh render would give them: a token
that their answer is accepted with, the nonce their page's policy names, the practice as it is now, and never
anything another visitor typed."""

import re

import pytest
from django.test import Client

from recordaccess.core import pages
from recordaccess.practices.models import Practice
from tests.intake.conftest import answer_all

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NONCE = re.compile(r' nonce="([^"]+)"')


@pytest.fixture(autouse=True)
def _nothing_kept():
    pages.forget_all()
    yield
    pages.forget_all()


def visit(path: str) -> tuple[Client, str, object]:
    client = Client(enforce_csrf_checks=True)
    response = client.get(path)
    assert response.status_code == 200
    return client, response.content.decode(), response


def without_stamps(html: str) -> str:
    return NONCE.sub("", TOKEN.sub("", html))


def test_each_visitor_gets_the_same_page_with_their_own_token_and_nonce(practice):
    first_client, first, first_response = visit("/p/A81001/request/choice/")
    second_client, second, second_response = visit("/p/A81001/request/choice/")
    assert len(pages._kept) == 1, "the second visitor's page was not the kept one"
    assert without_stamps(first) == without_stamps(second)
    assert TOKEN.search(first).group(1) != TOKEN.search(second).group(1)
    for client, html, response in (
        (first_client, first, first_response),
        (second_client, second, second_response),
    ):
        nonce = NONCE.search(html).group(1)
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        assert "no-store" in response["Cache-Control"]
        answered = client.post(
            "/p/A81001/request/choice/",
            {"wish": "wants_access", "csrfmiddlewaretoken": TOKEN.search(html).group(1)},
        )
        assert answered.status_code == 302, "the token on a kept page was not accepted"


def test_a_token_from_another_visitors_page_is_refused(practice):
    visit("/p/A81001/request/choice/")
    second_client, _, _ = visit("/p/A81001/request/choice/")
    refused = second_client.post(
        "/p/A81001/request/choice/", {"wish": "wants_access", "csrfmiddlewaretoken": "x" * 64}
    )
    assert refused.status_code == 403


def test_a_changed_practice_shows_at_once_even_when_changed_in_bulk(practice):
    visit("/p/A81001/request/choice/")
    Practice.objects.filter(pk=practice.pk).update(name="Riverside Health Centre", phone="0113 496 0999")
    _, html, _ = visit("/p/A81001/request/choice/")
    assert "Riverside Health Centre" in html and "0113 496 0999" in html
    assert "Riverside Surgery" not in html


def test_a_page_showing_an_answer_is_never_kept_or_given_to_another_visitor(practice):
    patient = Client()
    answer_all(patient, name={"given_name": "Ada", "family_name": "Lovelace"})
    own = patient.get("/p/A81001/request/name/").content.decode()
    assert 'value="Lovelace"' in own
    stranger = Client()
    stranger.post("/p/A81001/request/choice/", {"wish": "wants_access"})
    stranger.post("/p/A81001/request/who/", {"who": "myself"})
    blank = stranger.get("/p/A81001/request/name/").content.decode()
    assert "Lovelace" not in blank and "Ada" not in blank
    assert not any("Lovelace" in html for html in pages._kept.values())


def test_the_wording_for_someone_else_is_its_own_page(practice):
    mine = Client()
    mine.post("/p/A81001/request/choice/", {"wish": "wants_access"})
    mine.post("/p/A81001/request/who/", {"who": "myself"})
    assert "What is your name?" in mine.get("/p/A81001/request/name/").content.decode()
    theirs = Client()
    theirs.post("/p/A81001/request/choice/", {"wish": "wants_access"})
    theirs.post("/p/A81001/request/who/", {"who": "someone_else"})
    page = theirs.get("/p/A81001/request/name/").content.decode()
    assert "What is their name?" in page and "What is your name?" not in page


def test_an_error_page_is_rendered_afresh_and_never_kept(practice):
    client = Client()
    shown = client.post("/p/A81001/request/choice/", {})
    assert shown.status_code == 200 and "There is a problem" in shown.content.decode()
    assert pages._kept == {}


def test_the_progress_page_is_kept_blank_and_a_look_up_is_not(practice):
    client, html, _ = visit("/p/A81001/request/progress/")
    assert len(pages._kept) == 1
    looked = client.post(
        "/p/A81001/request/progress/",
        {
            "csrfmiddlewaretoken": TOKEN.search(html).group(1),
            "reference": "ABCD-EFGH",
            "day": "7",
            "month": "3",
            "year": "1980",
        },
    )
    assert looked.status_code == 200
    assert len(pages._kept) == 1


def test_the_oldest_page_goes_when_the_limit_is_reached(practice, monkeypatch):
    monkeypatch.setattr(pages, "PAGES", 2)
    for step in ("choice", "progress"):
        visit(f"/p/A81001/request/{step}/")
    Practice.objects.filter(pk=practice.pk).update(phone="0113 496 0000")
    visit("/p/A81001/request/choice/")
    kept = list(pages._kept)
    assert [template for template, _ in kept] == ["intake/request_status.jinja", "intake/request_step.jinja"]
    assert "0113 496 0000" in kept[1][1][0], "the page kept is the practice as it is now"
