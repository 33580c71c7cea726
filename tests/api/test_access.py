"""Tokens: who may call what. A token of practice A never reads practice B (the same 404 as no such practice),
401 says nothing of why, scopes give 403, each token is rate limited, every call is audited, every error has
one shape."""

import datetime
import json

import pytest
from django.utils import timezone

from recordaccess.api import services
from recordaccess.api.models import ApiToken
from recordaccess.audit.models import AuditEntry
from recordaccess.audit.services import Actor
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db
PERIOD = "start=2026-01-01&end=2026-01-31"
REQUEST_BODY = json.dumps({"wish": "no_access", "given_name": "Sam"})


def calls(ods: str) -> list[tuple[str, str, dict]]:
    """Every practice operation, as (method, path, extra), addressed to the practice `ods`."""
    base = f"/api/v1/practices/{ods}"
    body = {"data": REQUEST_BODY, "content_type": "application/json", "HTTP_IDEMPOTENCY_KEY": "k1"}
    return [
        ("post", f"{base}/requests", body),
        ("get", f"{base}/requests/ABCD-EFGH", {}),
        ("get", f"{base}/codes", {}),
        ("post", f"{base}/codes/exports", {}),
        ("post", f"{base}/codes/exports/1/confirm", {}),
        ("get", f"{base}/campaigns", {}),
        ("get", f"{base}/campaigns/1", {}),
        ("get", f"{base}/figures?{PERIOD}", {}),
    ]


def call(client, method, path, extra, secret):
    return getattr(client, method)(path, **extra, **(bearer(secret) if secret else {}))


def test_every_operation_is_in_the_schema_and_covered_here():
    from recordaccess.api.endpoints import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    operations = {(m, p) for p, item in schema["paths"].items() for m in item}
    assert len(operations) == len(calls("X")) + 1  # and the organisation's figures


def test_a_token_of_practice_a_gets_the_same_404_for_practice_b_as_for_no_practice(
    client, practice, other_practice, make_token
):
    secret = make_token(practice=practice)
    for (method, path, extra), (_, unknown, _) in zip(calls("B82002"), calls("ZZZ999"), strict=True):
        theirs = call(client, method, path, extra, secret)
        nobody = call(client, method, unknown, extra, secret)
        assert theirs.status_code == nobody.status_code == 404, (path, theirs.content)
        assert theirs.json() == nobody.json(), path
    organisation = call(client, "get", f"/api/v1/organisations/U12345/figures?{PERIOD}", {}, secret)
    assert organisation.status_code == 404


def test_the_same_calls_with_practice_b_own_token_are_not_refused(
    client, practice, other_practice, make_token
):
    secret = make_token(practice=other_practice)
    for method, path, extra in calls("B82002"):
        status = call(client, method, path, extra, secret).status_code
        assert status not in (401, 403), path
    assert call(client, "get", f"/api/v1/practices/B82002/figures?{PERIOD}", {}, secret).status_code == 200


def test_unknown_expired_revoked_and_missing_tokens_get_the_same_401(client, practice, make_token):
    path = f"/api/v1/practices/A81001/figures?{PERIOD}"
    live = make_token(practice=practice)
    expired = make_token(practice=practice, name="old")
    ApiToken.objects.filter(name="old").update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    revoked = make_token(practice=practice, name="gone")
    services.revoke_token(actor=Actor.system("t"), token=ApiToken.objects.get(name="gone"))
    forged = live[:-4] + ("AAAA" if not live.endswith("AAAA") else "BBBB")
    answers = [
        client.get(path, **bearer(secret)) for secret in (expired, revoked, forged, "ra_nothing_here", "x")
    ] + [client.get(path)]
    assert {r.status_code for r in answers} == {401}
    assert len({r.content for r in answers}) == 1
    assert answers[0]["WWW-Authenticate"] == "Bearer"
    assert client.get(path, **bearer(live)).status_code == 200


def test_only_the_hash_is_stored_and_the_secret_is_shown_once(practice):
    token, secret = services.create_token(
        actor=Actor.system("t"), practice=practice, name="Tool", scopes=["figures:read"], days=30
    )
    assert secret.startswith(f"ra_{token.prefix}_") and len(secret) > 40
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in json.dumps(row, default=str)
    assert row["secret_sha256"] == services._digest(secret)
    assert services.token_for(secret) == token


def test_a_token_expires_within_a_year_and_has_only_known_scopes(practice, organisation):
    with pytest.raises(services.TokenError) as refused:
        services.create_token(
            actor=Actor.system("t"), practice=practice, name="", scopes=["figures:read", "admin"], days=400
        )
    fields = dict(refused.value.errors)
    assert set(fields) == {"name", "scopes", "days"}
    with pytest.raises(services.TokenError, match="organisation"):
        services.create_token(
            actor=Actor.system("t"), organisation=organisation, name="ICB", scopes=["codes:read"], days=30
        )


def test_a_missing_scope_is_403_in_the_one_shape(client, practice, make_token):
    secret = make_token(practice=practice, scopes=["figures:read"])
    response = client.get("/api/v1/practices/A81001/codes", **bearer(secret))
    assert response.status_code == 403
    assert (
        response.json()["error"]["code"] == "forbidden"
        and "codes:read" in response.json()["error"]["message"]
    )


def test_an_organisation_token_with_a_patient_scope_in_its_row_still_cannot_use_it(
    client, practice, organisation, make_token
):
    """Defence in depth: whatever the row says, an organisation's token has figures only."""
    secret = make_token(organisation=organisation)
    ApiToken.objects.filter(organisation=organisation).update(scopes=["figures:read", "codes:read"])
    token = services.token_for(secret)
    assert not services.has_scope(token, "codes:read")


def test_each_token_is_rate_limited_with_retry_after(client, practice, make_token, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    secret, other = make_token(practice=practice), make_token(practice=practice, name="other")
    path = f"/api/v1/practices/A81001/figures?{PERIOD}"
    statuses = [client.get(path, **bearer(secret)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get(path, **bearer(secret))
    assert limited.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert client.get(path, **bearer(other)).status_code == 200  # another token has its own allowance


def test_the_limit_starts_again_each_minute_and_past_minutes_are_forgotten(
    client, practice, make_token, settings
):
    from freezegun import freeze_time

    from recordaccess.outreach.models import SendAllowance

    settings.API_RATE_LIMIT_PER_MINUTE = 1
    secret = make_token(practice=practice)
    path = f"/api/v1/practices/A81001/figures?{PERIOD}"
    with freeze_time("2026-06-01 10:00:05"):
        assert [client.get(path, **bearer(secret)).status_code for _ in range(2)] == [200, 429]
    with freeze_time("2026-06-01 10:01:00"):
        assert client.get(path, **bearer(secret)).status_code == 200
    assert SendAllowance.objects.filter(key__startswith="api:").count() == 1


def test_every_call_is_audited_with_the_token_prefix_method_route_and_status_never_the_body(
    client, practice, make_token
):
    secret = make_token(practice=practice)
    prefix = secret.split("_")[1]
    client.get(f"/api/v1/practices/A81001/figures?{PERIOD}", **bearer(secret))
    client.post(
        "/api/v1/practices/A81001/requests",
        data=json.dumps({"wish": "wants_access", "given_name": "Secretname"}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k",
        **bearer(secret),
    )
    client.get("/api/v1/practices/A81001/codes", HTTP_AUTHORIZATION=f"Bearer ra_{prefix}_wrong")
    entries = list(AuditEntry.objects.filter(action="api.call").order_by("seq"))
    details = [json.loads(e.detail) for e in entries]
    assert details == [
        {"token": prefix, "method": "GET", "path": "/api/v1/practices/<ods>/figures", "status": 200},
        {"token": prefix, "method": "POST", "path": "/api/v1/practices/<ods>/requests", "status": 422},
        {"token": prefix, "method": "GET", "path": "/api/v1/practices/<ods>/codes", "status": 401},
    ]
    assert entries[0].practice_ods == "A81001" and prefix in entries[0].actor
    assert not AuditEntry.objects.filter(detail__contains="Secretname").exists()


def test_unknown_addresses_wrong_methods_and_bad_json_answer_in_the_one_shape(client, practice, make_token):
    secret = make_token(practice=practice)
    unknown = client.get("/api/v1/nothing/here", **bearer(secret))
    wrong_method = client.delete("/api/v1/practices/A81001/codes", **bearer(secret))
    bad_json = client.post(
        "/api/v1/practices/A81001/requests",
        data="{not json",
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k",
        **bearer(secret),
    )
    bad_date = client.get("/api/v1/practices/A81001/figures?start=2026-02-30&end=x", **bearer(secret))
    backwards = client.get(
        "/api/v1/practices/A81001/figures?start=2026-02-01&end=2026-01-01", **bearer(secret)
    )
    nul = client.get("/api/v1/practices/A81001/figures?start=%00", **bearer(secret))
    for response, status in (
        (unknown, 404),
        (wrong_method, 405),
        (bad_json, 400),
        (bad_date, 422),
        (backwards, 422),
        (nul, 400),
    ):
        assert response.status_code == status
        assert response["Content-Type"] == "application/json"
        assert set(response.json()["error"]) == {"status", "code", "message", "fields"}
        assert response.json()["error"]["status"] == status
    assert {f["field"] for f in bad_date.json()["error"]["fields"]} == {"start", "end"}
    assert backwards.json()["error"]["fields"] == [
        {"field": "end", "message": "End must be the same as or after start"}
    ]


def test_an_unexpected_failure_is_a_500_in_the_one_shape(client, practice, make_token, monkeypatch):
    from recordaccess.reports import figures

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(figures, "practice_figures", broken)
    response = client.get(
        f"/api/v1/practices/A81001/figures?{PERIOD}", **bearer(make_token(practice=practice))
    )
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error" and "boom" not in response.content.decode()


def test_the_schema_and_the_docs_page_need_no_token_and_load_nothing_from_elsewhere(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    operation = schema.json()["paths"]["/api/v1/practices/{ods}/requests"]["post"]
    assert {"201", "401", "403", "404", "409", "422", "429", "500"} <= set(operation["responses"])
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/api/v1/practices/{ods}/requests" in html
    assert "cdn" not in html.lower() and "https://" not in html.split("<body", 1)[1].split("</main>")[0]
    assert "script-src 'self'" in docs["Content-Security-Policy"]


def test_token_calls_need_no_csrf_token(practice, make_token):
    """A token, not a cookie, authenticates the API, so Django's CSRF check (which guards cookie sessions) is off."""
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    secret = make_token(practice=practice)
    response = strict.post("/api/v1/practices/A81001/codes/exports", **bearer(secret))
    assert response.status_code == 201


def test_an_address_calling_without_a_valid_token_is_held_off_unrecorded_but_a_valid_token_from_it_is_served(
    client, practice, make_token, settings
):
    """Every call is recorded, so calls without a valid token are limited by address: past the limit the address
    is answered 429 and nothing is recorded until the minute ends, so nobody can flood the trail (H114)."""
    settings.API_REFUSED_PER_MINUTE = 3
    figures = f"/api/v1/practices/{practice.ods_code}/figures?{PERIOD}"
    before = AuditEntry.objects.filter(action="api.call").count()
    answers = [client.get(figures, **bearer("ra_0123abcd_not-a-real-token")).status_code for _ in range(3)]
    answers += [client.get(figures).status_code]  # no token at all counts the same
    assert answers == [401, 401, 401, 429]
    refused = client.get(figures, **bearer("ra_0123abcd_not-a-real-token"))
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert refused.json()["error"]["status"] == 429
    assert AuditEntry.objects.filter(action="api.call").count() == before + 3

    served = client.get(figures, **bearer(make_token(practice=practice)))
    assert served.status_code == 200
    assert AuditEntry.objects.filter(action="api.call").count() == before + 4


def test_a_body_too_large_to_read_is_refused_in_the_one_shape_and_recorded(client, practice, make_token):
    body = json.dumps({"wish": "wants_access", "given_name": "A" * 3_000_000})
    answer = client.post(
        f"/api/v1/practices/{practice.ods_code}/requests",
        data=body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="too-big",
        **bearer(make_token(practice=practice)),
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["message"].startswith("The request is too large")
    entry = AuditEntry.objects.filter(action="api.call").latest("seq")
    assert json.loads(entry.detail)["status"] == 400
