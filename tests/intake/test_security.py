"""The intake is the secure automated system the guidance asks about: these tests are its evidence."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from recordaccess.intake.models import AccessRequest
from tests.intake.conftest import answer_all

pytestmark = pytest.mark.django_db


def send(client):
    return client.post(reverse("intake:request_check", kwargs={"ods": "A81001"}))


def test_a_post_without_the_csrf_token_is_refused(practice):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/p/A81001/request/choice/", {"wish": "wants_access"})
    assert response.status_code == 403


def test_starting_too_often_from_one_client_shows_a_friendly_page_and_keeps_what_was_sent(
    client, practice, settings
):
    settings.INTAKE_PER_CLIENT_PER_HOUR = 2
    for surname in ("Smith", "Jones"):
        answer_all(client, name={"given_name": "Sam", "family_name": surname})
        assert send(client).status_code == 302
    refused = client.post("/p/A81001/request/choice/", {"wish": "wants_access"})
    assert refused.status_code == 429 and "Come back after" in refused.content.decode()
    assert sorted(AccessRequest.objects.values_list("family_name", flat=True)) == ["Jones", "Smith"]


def test_a_practice_wide_limit_holds_across_clients(practice, settings):
    settings.INTAKE_PER_PRACTICE_PER_HOUR = 1
    first, second = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    answer_all(first)
    assert send(first).status_code == 302
    assert second.post("/p/A81001/request/choice/", {"wish": "wants_access"}).status_code == 429


def test_an_oversized_body_is_refused_before_it_is_read(client, practice):
    response = client.post("/p/A81001/request/question/", {"question": "x" * 30_000})
    assert response.status_code == 413 and "Your answers are too long" in response.content.decode()


def test_script_in_any_field_comes_back_escaped(client, practice):
    script = "<script>alert(1)</script>"
    page = client.post("/p/A81001/request/name/", {"given_name": script, "family_name": script}).content
    assert b"<script>alert(1)</script>" not in page and b"&lt;script&gt;" in page
    check = answer_all(client, needs={"communication_needs": script}).content
    assert b"<script>alert(1)</script>" not in check and b"&lt;script&gt;alert(1)&lt;/script&gt;" in check


def test_a_matching_and_a_non_matching_request_get_the_same_response(client, practice, registered):
    answer_all(client)
    matched = client.get(send(client)["Location"]).content.decode()
    other = Client()
    answer_all(
        other, name={"given_name": "Nobody", "family_name": "Known"}, **{"nhs-number": {"nhs_number": ""}}
    )
    unmatched = other.get(send(other)["Location"]).content.decode()
    first, second = AccessRequest.objects.order_by("pk")
    assert (first.match_status, second.match_status) == ("matched", "needs_staff")

    def same(page, reference):  # the reference and the per-response CSP nonce differ; nothing else may
        return re.sub(r'nonce="[^"]+"', "", page.replace(reference, "REF"))

    assert same(matched, first.reference_display) == same(unmatched, second.reference_display)


def test_a_repeat_within_minutes_joins_the_first_and_keeps_its_reference(client, practice):
    answer_all(client)
    send(client)
    first_reference = client.session["request:A81001:done"]
    answer_all(client)
    send(client)
    assert client.session["request:A81001:done"] == first_reference
    saved = AccessRequest.objects.get()
    assert saved.repeats == 1


def test_the_honeypot_stores_nothing(client, practice):
    answer_all(client)
    response = client.post(reverse("intake:request_check", kwargs={"ods": "A81001"}), {"website": "spam"})
    assert response.status_code == 302 and not AccessRequest.objects.exists()


def test_public_pages_carry_a_content_security_policy_and_the_other_headers(client, practice):
    response = client.get("/p/A81001/request/choice/")
    assert "default-src" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_references_are_short_and_unguessable(practice):
    from recordaccess.core.codes import random_code

    codes = {random_code(8) for _ in range(5000)}
    assert len(codes) == 5000 and all(len(c) == 8 for c in codes)


def _status_check(client):
    url = reverse("intake:request_status", kwargs={"ods": "A81001"})
    return client.post(url, {"reference": "ABCD-EFGH", "day": "7", "month": "3", "year": "1980"})


def test_a_forged_forwarded_for_header_from_an_untrusted_peer_does_not_buy_a_new_allowance(
    practice, settings
):
    settings.STATUS_CHECKS_PER_CLIENT_PER_HOUR = 1
    settings.TRUSTED_PROXIES = []
    first = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    second = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert _status_check(first).status_code == 200
    assert _status_check(second).status_code == 429


def test_behind_a_trusted_proxy_each_patient_has_their_own_allowance(practice, settings):
    settings.STATUS_CHECKS_PER_CLIENT_PER_HOUR = 1
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    behind = {"REMOTE_ADDR": "10.0.0.5"}
    assert _status_check(Client(**behind, HTTP_X_FORWARDED_FOR="198.51.100.1")).status_code == 200
    assert _status_check(Client(**behind, HTTP_X_FORWARDED_FOR="198.51.100.2")).status_code == 200
    # The same patient forging the left of the header through the proxy is still the same patient.
    again = Client(**behind, HTTP_X_FORWARDED_FOR="192.0.2.77, 198.51.100.1")
    assert _status_check(again).status_code == 429
