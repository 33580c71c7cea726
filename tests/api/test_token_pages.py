"""Administrators make, see and revoke their practice's tokens; the secret is shown once; others cannot."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from recordaccess.api.models import ApiToken
from recordaccess.audit.models import AuditEntry
from recordaccess.practices.roles import Role

pytestmark = pytest.mark.django_db
PAGE = "/staff/p/A81001/api-tokens/"


def test_an_administrator_makes_a_token_sees_its_secret_once_and_revokes_it(staff_client, practice, client):
    admin = staff_client(Role.ADMINISTRATOR)
    made = admin.post(
        PAGE, {"name": "Consultation tool", "scopes": ["requests:write", "requests:read"], "days": "90"}
    )
    assert made.status_code == 200 and made["Cache-Control"] == "no-store"
    token = ApiToken.objects.get()
    html = made.content.decode()
    secret = html.split('<code id="new-token">')[1].split("</code>")[0]
    assert secret.startswith(f"ra_{token.prefix}_")
    assert token.scopes == ["requests:read", "requests:write"] and token.practice == practice
    shown_again = admin.get(PAGE).content.decode()
    assert token.prefix in shown_again and secret not in shown_again
    figures = "/api/v1/practices/A81001/requests/ABCD-EFGH"
    assert (
        client.get(figures, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 404
    )  # works: no such request
    revoke = f"/staff/p/A81001/api-tokens/{token.pk}/revoke/"
    assert "stops working at once" in admin.get(revoke).content.decode()
    assert admin.post(revoke).status_code == 302
    assert client.get(figures, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    actions = list(AuditEntry.objects.filter(object_type="api_token").values_list("action", flat=True))
    assert "api_token.create" in actions and "api_token.revoke" in actions


def test_the_form_says_what_is_missing(staff_client, practice):
    admin = staff_client(Role.ADMINISTRATOR)
    response = admin.post(PAGE, {"name": "", "days": "90"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a name for the token" in html or "Choose at least one thing the token may do" in html
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.RECEPTION, Role.OBSERVER])
def test_only_administrators_open_the_page(staff_client, practice, role):
    assert staff_client(role).get(PAGE).status_code == 403


def test_another_practice_token_cannot_be_revoked_from_here(
    staff_client, practice, other_practice, make_token
):
    make_token(practice=other_practice)
    theirs = ApiToken.objects.get()
    admin = staff_client(Role.ADMINISTRATOR)
    assert admin.post(f"/staff/p/A81001/api-tokens/{theirs.pk}/revoke/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_the_command_makes_lists_and_revokes_tokens_for_organisations_too(organisation, capsys):
    call_command(
        "api_token",
        "create",
        "--organisation",
        "U12345",
        "--name",
        "ICB dashboard",
        "--scope",
        "figures:read",
        "--json",
    )
    made = json.loads(capsys.readouterr().out)
    assert made["organisation"] == "U12345" and made["token"].startswith(f"ra_{made['prefix']}_")
    call_command("api_token", "list", "--organisation", "U12345", "--json")
    listed = json.loads(capsys.readouterr().out)["tokens"]
    assert [t["prefix"] for t in listed] == [made["prefix"]] and "token" not in listed[0]
    call_command("api_token", "revoke", made["prefix"])
    assert "revoked" in capsys.readouterr().out
    assert ApiToken.objects.get().revoked_by == "api_token"


@pytest.mark.parametrize(
    "args",
    [
        ["create", "--organisation", "U12345", "--name", "x", "--scope", "codes:read"],
        ["create", "--practice", "NOPE1", "--name", "x", "--scope", "figures:read"],
        ["create", "--name", "x", "--scope", "figures:read"],
        ["create", "--practice", "A81001", "--name", "x", "--scope", "figures:read", "--days", "366"],
        ["revoke", "deadbeef"],
    ],
)
def test_the_command_exits_2_on_unusable_input(organisation, args):
    with pytest.raises(CommandError) as refused:
        call_command("api_token", *args)
    assert refused.value.returncode == 2
    assert ApiToken.objects.count() == 0


def test_the_audit_trail_page_names_the_token_and_the_calls_in_words(
    staff_client, practice, make_token, client
):
    secret = make_token(practice=practice, name="Consultation tool")
    client.get("/api/v1/practices/A81001/codes", HTTP_AUTHORIZATION=f"Bearer {secret}")
    html = staff_client(Role.ADMINISTRATOR).get("/staff/p/A81001/audit/").content.decode()
    assert "Made an API token" in html and "Called the API" in html
    assert f"Consultation tool ({secret[3:11]})" in html and secret not in html
