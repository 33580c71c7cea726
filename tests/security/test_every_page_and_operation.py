"""Every staff URL and every API operation, walked by every kind of caller, by GET and by POST, with real CSRF
checks (issue 17: the security checks kept).

The URLs come from the resolver and the operations from the OpenAPI schema, so a new page or operation is walked
the day it is written; a route that is neither a staff page, an API address nor one of the public routes listed
here fails the classification test, and a sensitive page (decisions, coding, staff, tokens, the DPIA, the audit
trail, imports...) must be written into the table below with the roles that may open it: the table is written
out by hand, not read from the declarations it checks.

For each staff page: nobody signed in is sent to sign-in; a password without two-factor is sent to two-factor;
each role of the practice gets exactly its rule (403 "You cannot open this page" otherwise); a member of another
practice, an organisation's observer, and a member using another practice's row numbers all get 404, which says
nothing; a POST without the CSRF token is refused. For each operation: no token is 401, another practice's or an
organisation's token is 404, a token without the operation's scope is 403. Every answer carries the security
headers and `Cache-Control: no-store`. The world is built once for the module."""

import re

import pytest
from django.core.management import call_command
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse

from recordaccess.api import services as api_services
from recordaccess.api.endpoints import api
from recordaccess.api.models import PRACTICE_SCOPES, Scope
from recordaccess.audit.services import Actor
from recordaccess.outreach.models import Campaign
from recordaccess.patients.models import Cohort, Flag, FlagKind
from recordaccess.practices import services as practice_services
from recordaccess.practices.access import OrganisationAccess, Stage, access_rules
from recordaccess.practices.roles import Role
from tests import factories
from tests.practices.test_access_matrix import SAMPLE_KWARGS, staff_url_names
from tests.reports.conftest import observer_account
from tests.security.reached import REACHED
from tests.test_every_url import ARGUMENT, every_route, practice_samples

pytestmark = pytest.mark.django_db

ACTOR = Actor.system("security walk")
A, RV, RC, OB = Role.ADMINISTRATOR, Role.REVIEWER, Role.RECEPTION, Role.OBSERVER
TEAM = frozenset({A, RV, RC})  # the practice's own staff who see patients
ADMIN_ONLY = frozenset({A})

# Who may open each sensitive page, written out: a change to a page's declared roles fails here until someone
# decides it on purpose. Decisions and coding are the clinical team's (the decision's service then checks the
# role against the checklist); staff, tokens, the DPIA's changes, imports and the audit trail are the
# administrators'; the weekly sweep is signed off by a clinician or an administrator.
SENSITIVE = {
    **dict.fromkeys(["review", "review_checklist", "review_claim", "review_decide", "review_release"], TEAM),
    **dict.fromkeys(["coding", "coding_export", "coding_confirm", "redaction_done"], TEAM),
    **dict.fromkeys(["staff", "staff_action", "staff_invite", "invitation_withdraw"], ADMIN_ONLY),
    **dict.fromkeys(["api_tokens", "api_token_revoke", "audit"], ADMIN_ONLY),
    **dict.fromkeys(["practice", "practice_edit", "waiting_policy", "inbox_settings"], ADMIN_ONLY),
    **dict.fromkeys(
        [
            *("dpia_edit", "dpia_save", "dpia_new_version", "dpia_defaults_add", "dpia_measures_save"),
            *("dpia_risk_add", "dpia_risk_save", "dpia_risk_remove"),
            *("dpia_consultation_add", "dpia_consultation_remove", "dpia_consultation_pack"),
        ],
        ADMIN_ONLY,
    ),
    **dict.fromkeys(["dpia_overview", "dpia_step", "dpia_version", "dpia_risk"], TEAM),
    **dict.fromkeys(["sweep_sign_off", "sweep_generate"], frozenset({A, RV})),
    **dict.fromkeys(["plan_approve", "plan_share", "plan_save"], ADMIN_ONLY),
    **dict.fromkeys(["plan_export", "plan_version_export"], TEAM),
    **dict.fromkeys(
        ["register", "register_import", "register_import_report", "register_import_status"], ADMIN_ONLY
    ),
    **dict.fromkeys(["online_accounts", "online_accounts_import", "pomi", "pomi_csv"], ADMIN_ONLY),
    **dict.fromkeys(["identity_document", "patient", "patients", "request", "request_identity"], TEAM),
    **dict.fromkeys(["patient_flag_add", "patient_flag_end"], frozenset({A, RV})),
    **dict.fromkeys(["outbox", "outbox_letter", "campaign_action", "template_approve"], ADMIN_ONLY),
    **dict.fromkeys(["programme", "programme_csv", "programme_chart_csv", "dashboard"], TEAM | {OB}),
}
# A practice page whose name says any of these must be in the table above.
SENSITIVE_NAME = re.compile(
    r"review|decide|decision|coding|redaction|staff|invitation|token|dpia|sign_off|approve|audit|identity|export"
    r"|import|register|online_accounts|pomi|practice|patient|outbox|policy|settings|csv"
)
# Every route that is neither a staff page nor under the API: the public pages, callbacks and health, each
# written here so a new one is looked at before it ships.
PUBLIC_ROUTES = {
    *("healthz", "robots.txt", "notify/inbound", "notify/receipts", "r/<str:code>/", "status/"),
    *("p/<str:ods>/", "p/<str:ods>/accessibility/", "p/<str:ods>/online-access/", "p/<str:ods>/privacy/"),
    *("p/<str:ods>/book/<str:code>/", "p/<str:ods>/drop-ins/", "p/<str:ods>/drop-ins/<int:slot_id>/"),
    "p/<str:ods>/drop-ins/place/<str:code>/",
    *("p/<str:ods>/questions/", "p/<str:ods>/questions/<slug:slug>/", "p/<str:ods>/questions/ask/"),
    *("p/<str:ods>/questions/<slug:slug>/helpful/", "p/<str:ods>/questions/asked/"),
    *("p/<str:ods>/request/<slug:step>/", "p/<str:ods>/request/check/", "p/<str:ods>/request/progress/"),
    *("p/<str:ods>/request/nhs-login/", "p/<str:ods>/request/nhs-login/return/", "p/<str:ods>/request/sent/"),
}
API_PREFIX = "api/v1/"
# Each operation's scope, written out (the schema's descriptions must say the same).
OPERATION_SCOPES = {
    ("post", "/api/v1/practices/{ods}/requests"): Scope.REQUESTS_WRITE,
    ("get", "/api/v1/practices/{ods}/requests/{reference}"): Scope.REQUESTS_READ,
    ("get", "/api/v1/practices/{ods}/codes"): Scope.CODES_READ,
    # Exporting records a batch of the worklist to enter (its codes stay on the worklist until it is confirmed):
    # a read, recorded; confirming the batch entered is the write.
    ("post", "/api/v1/practices/{ods}/codes/exports"): Scope.CODES_READ,
    ("post", "/api/v1/practices/{ods}/codes/exports/{export_id}/confirm"): Scope.CODES_WRITE,
    ("get", "/api/v1/practices/{ods}/campaigns"): Scope.CAMPAIGNS_READ,
    ("get", "/api/v1/practices/{ods}/campaigns/{campaign_id}"): Scope.CAMPAIGNS_READ,
    ("get", "/api/v1/practices/{ods}/figures"): Scope.FIGURES_READ,
    ("get", "/api/v1/organisations/{code}/figures"): Scope.FIGURES_READ,
}
PERIOD = "?start=2026-01-01&end=2026-01-31"
REQUEST_BODY = '{"wish": "no_access", "given_name": "Sam"}'  # a valid body: the token is what is refused
REFUSED = "You cannot open this page"

STAFF = staff_url_names()
RULES = access_rules()
PRACTICE_PAGES = [(name, args) for name, _, args in STAFF if isinstance(RULES[name], frozenset)]
ORGANISATION_PAGES = [(name, args) for name, _, args in STAFF if RULES[name] is OrganisationAccess.OBSERVER]
# Pages outside a practice that need a sign-in: walked for the sign-in checks (sign-out is POSTed elsewhere).
SIGNED_IN_PAGES = [
    (name, args) for name, _, args in STAFF if RULES[name] in (Stage.SIGNED_IN, Stage.FIRST_FACTOR)
]


def expected_roles(name: str) -> frozenset:
    short = name.removeprefix("staff:")
    return SENSITIVE.get(short, RULES[name])


# --- The world, built once -------------------------------------------------------------------------------------


class World:
    pass


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Practices A and B with every row a path can name (`practice_samples`, and a cohort, a campaign, a flag and
    an API token), a member of A in each role, an administrator of B, an ICB holding A with its observer, API tokens
    for A, B and the ICB. Emptied when the module is done."""
    folder = tmp_path_factory.mktemp("security-var")
    overrides = override_settings(
        PASSWORD_HASHERS=["tests.hashers.FastArgon2PasswordHasher"],
        VAR_DIR=folder,
        MEDIA_ROOT=folder / "private",
        AUDIT_CHECKPOINT_DIR=folder / "audit-checkpoints",
    )
    with overrides, django_db_blocker.unblock():
        made = World()
        made.a = factories.practice("A81001", name="Riverside Surgery")
        made.b = factories.practice("B82002", name="Hillside Practice")
        made.members = {role: factories.staff(made.a, role, f"a-{role}") for role in Role}
        made.b_admin = factories.staff(made.b, A, "b-administrator")
        made.no_device = factories.staff(made.a, A, "a-no-device", with_device=False)
        made.samples = {"a": _samples(made.a, made.members[A]), "b": _samples(made.b, made.b_admin)}
        icb = practice_services.create_organisation(actor=ACTOR, code="QWE", name="Walk ICB", kind="icb")
        practice_services.change_organisation_practices(actor=ACTOR, organisation=icb, add=["A81001"])
        made.icb = icb
        made.observer = observer_account(icb, "icb-observer")
        made.tokens = {
            "a": _token(practice=made.a, scopes=sorted(PRACTICE_SCOPES)),
            "b": _token(practice=made.b, scopes=sorted(PRACTICE_SCOPES)),
            "icb": _token(organisation=icb, scopes=[Scope.FIGURES_READ]),
        }
        made.scoped = {
            scope: _token(practice=made.a, scopes=sorted(PRACTICE_SCOPES - {scope}), name=f"without {scope}")
            for scope in Scope
        }
        yield made
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def _samples(practice, administrator) -> dict[str, str]:
    samples = practice_samples(practice, administrator)
    patient_id = int(samples["patient_id"])
    cohort = Cohort.objects.create(practice=practice, name="Everyone", filters={}, created_by="walk")
    campaign = Campaign.objects.create(practice=practice, name="Launch", cohort=cohort, created_by="walk")
    flag = Flag.objects.create(
        patient_id=patient_id, kind=FlagKind.SAFEGUARDING_ADULT, code="417430008", term="Vulnerable adult"
    )
    token, _ = api_services.create_token(
        actor=ACTOR, practice=practice, name="Tool", scopes=["figures:read"], days=30
    )
    samples.update(
        cohort_id=str(cohort.pk), campaign_id=str(campaign.pk), flag_id=str(flag.pk), token_id=str(token.pk)
    )
    samples["code"] = "QWE"
    return samples


def _token(*, scopes, name="Tool", **owner) -> str:
    _, secret = api_services.create_token(
        actor=ACTOR, name=name, scopes=[str(s) for s in scopes], days=30, **owner
    )
    return secret


def url(name: str, arguments: list[str], samples: dict, **instead) -> str:
    kwargs = {}
    for key in arguments:
        value = instead.get(key, samples.get(key, SAMPLE_KWARGS.get(key)))
        assert value is not None, f"add a sample value for <{key}> (tests/practices/test_access_matrix.py)"
        kwargs[key] = value
    return reverse(name, kwargs=kwargs)


def real_rows_only(arguments: list[str], samples: dict) -> bool:
    """Whether every argument of a path names a row the world made (else an allowed page may well be a 404)."""
    return all(key in samples for key in arguments)


# --- Clients ---------------------------------------------------------------------------------------------------


def csrf_client() -> tuple[Client, str]:
    """A client that checks CSRF as a browser's request is checked, and the token its sign-in page gave it."""
    client = Client(enforce_csrf_checks=True)
    token = _get_new_csrf_string()  # as the sign-in page's form would have given it
    client.cookies["csrftoken"] = token
    return client, token


def signed_in(user) -> tuple[Client, str]:
    client, token = csrf_client()
    return factories.sign_in(client, user), token


def password_only(user) -> tuple[Client, str]:
    client, token = csrf_client()
    client.force_login(user)
    return client, token


def private_headers(response, where: str) -> None:
    """What every staff page and API answer carries, whatever its status: nothing kept by a browser or a proxy,
    nothing framed, no type guessed, no address leaked to another site, its own browsing context."""
    csp = response.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, (where, csp)
    assert response.get("X-Content-Type-Options") == "nosniff", where
    assert response.get("Referrer-Policy") == "same-origin", where
    assert response.get("X-Frame-Options") == "DENY", where
    assert response.get("Cross-Origin-Opener-Policy") == "same-origin", where
    assert "no-store" in response.get("Cache-Control", ""), (where, response.get("Cache-Control"))


def sent_to(response, name: str) -> bool:
    return response.status_code == 302 and response["Location"].split("?")[0] == reverse(name)


# --- Classification --------------------------------------------------------------------------------------------


def test_every_route_is_a_declared_staff_page_an_api_address_or_a_listed_public_route():
    unclassified = []
    for route in every_route():
        if route.startswith(API_PREFIX) or route.startswith("assets/"):
            continue
        if route.startswith("staff/"):
            path = "/" + ARGUMENT.sub(lambda m: "1" if m["converter"] == "int" else "QWE", route)
            try:
                match = resolve(path)
            except Resolver404:
                unclassified.append(route)
                continue
            assert match.view_name in RULES, f"{route} ({match.view_name}) declares no access rule"
            continue
        if route not in PUBLIC_ROUTES:
            unclassified.append(route)
    assert not unclassified, f"routes neither staff, API nor listed public: {unclassified}"


def test_every_sensitive_page_is_in_the_written_table_and_the_table_agrees_with_the_declarations():
    names = {name.removeprefix("staff:") for name, _ in PRACTICE_PAGES}
    unlisted = sorted(name for name in names if SENSITIVE_NAME.search(name) and name not in SENSITIVE)
    assert not unlisted, f"sensitive pages missing from SENSITIVE (write who may open them): {unlisted}"
    assert SENSITIVE.keys() <= names, f"SENSITIVE names pages that do not exist: {SENSITIVE.keys() - names}"
    differ = {name: sorted(roles) for name, roles in SENSITIVE.items() if RULES[f"staff:{name}"] != roles}
    assert not differ, f"pages declared with other roles than the table says: {differ}"


def test_every_api_operation_is_in_the_written_table_with_the_scope_its_description_gives():
    schema = api.get_openapi_schema(path_prefix="/" + API_PREFIX)
    operations = {(method, path): op for path, item in schema["paths"].items() for method, op in item.items()}
    assert operations.keys() == OPERATION_SCOPES.keys()
    for key, op in operations.items():
        assert f"Scope: `{OPERATION_SCOPES[key]}`" in op["description"], key


# --- Staff pages -----------------------------------------------------------------------------------------------


def test_nobody_signed_in_is_sent_to_sign_in_from_every_page_by_get_and_post(world):
    client, token = csrf_client()
    pages = PRACTICE_PAGES + ORGANISATION_PAGES + SIGNED_IN_PAGES
    for name, arguments in pages:
        address = url(name, arguments, world.samples["a"])
        for response in (client.get(address), client.post(address, {"csrfmiddlewaretoken": token})):
            assert sent_to(response, "staff:sign_in"), (name, response.status_code)
            private_headers(response, name)
        assert client.post(address).status_code == 403, (
            f"{name}: a POST without the CSRF token was not refused"
        )


def test_a_password_without_two_factor_opens_nothing_but_the_two_factor_pages(world):
    for user, step in ((world.members[A], "staff:verify"), (world.no_device, "staff:enrol")):
        client, token = password_only(user)
        for name, arguments in PRACTICE_PAGES + ORGANISATION_PAGES + SIGNED_IN_PAGES:
            if RULES[name] is Stage.FIRST_FACTOR:
                continue
            address = url(name, arguments, world.samples["a"])
            for response in (client.get(address), client.post(address, {"csrfmiddlewaretoken": token})):
                assert sent_to(response, step), (name, user.username, response.status_code)


@pytest.fixture
def views_not_run(settings):
    """The views are answered by tests/security/reached.py once the access rules let a request in."""
    at = settings.MIDDLEWARE.index("recordaccess.practices.access.StaffAccessMiddleware")
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[: at + 1],
        "tests.security.reached.ReachedTheView",
        *settings.MIDDLEWARE[at + 1 :],
    ]


def reached(response, name: str) -> bool:
    return response.status_code == 200 and response.get(REACHED) == name


@pytest.mark.parametrize("role", list(Role))
def test_each_role_opens_exactly_the_pages_its_role_allows_by_get_and_post(world, views_not_run, role):
    client, token = signed_in(world.members[role])
    for name, arguments in PRACTICE_PAGES:
        address = url(name, arguments, world.samples["a"])
        got, posted = client.get(address), client.post(address, {"csrfmiddlewaretoken": token})
        private_headers(got, name)
        if role in expected_roles(name):
            assert reached(got, name) and reached(posted, name), f"{role} should reach {name}"
            # Only the token tells a page posted from its own form from one posted from elsewhere.
            assert client.post(address).status_code == 403, f"{name} took a POST without the CSRF token"
        else:
            assert got.status_code == 403 and REFUSED in got.content.decode(), f"{role} opened {name}"
            assert posted.status_code == 403 and REFUSED in posted.content.decode(), (
                f"{role} posted to {name}"
            )
    for name, arguments in ORGANISATION_PAGES:
        address = url(name, arguments, world.samples["a"])
        assert client.get(address).status_code == 404, name
        assert client.post(address, {"csrfmiddlewaretoken": token}).status_code == 404, name
    for name, arguments in SIGNED_IN_PAGES:
        assert reached(client.get(url(name, arguments, world.samples["a"])), name)


def test_no_practice_page_is_found_by_anyone_outside_the_practice(world):
    """B's administrator on A's pages, A's organisation's observer on them, anyone on a practice that does not
    exist: the same 404, by GET and by POST."""
    samples = world.samples["a"]
    for user in (world.b_admin, world.observer):
        client, token = signed_in(user)
        for name, arguments in PRACTICE_PAGES:
            address = url(name, arguments, samples)
            got = client.get(address)
            assert got.status_code == 404, (user.username, name, got.status_code)
            private_headers(got, name)
            posted = client.post(address, {"csrfmiddlewaretoken": token})
            assert posted.status_code == 404, (user.username, name, posted.status_code)
            if user == world.b_admin:
                nowhere = client.get(url(name, arguments, samples, ods="Z99999"))
                assert nowhere.status_code == 404 and nowhere.content == got.content, name


def test_another_practices_rows_are_not_found_from_your_own_practices_pages(world):
    """A's administrator, on A's pages, naming B's rows (requests, patients, cohorts, tokens, staff, DPIA
    risks...): by GET and by POST, the very answer a row that never existed gets (a 404, or the page's own
    "already gone" message), and nothing of B's changes."""
    client, token = signed_in(world.members[A])
    theirs = {key: value for key, value in world.samples["b"].items() if key.endswith("_id")}
    before = practice_b_rows(world)
    walked = 0
    for name, arguments in PRACTICE_PAGES:
        named = [key for key in arguments if key in theirs]
        if not named:
            continue
        walked += 1
        address = url(name, arguments, world.samples["a"], **{key: theirs[key] for key in named})
        never = url(name, arguments, world.samples["a"], **dict.fromkeys(named, "987654"))
        for method, data in (("get", {}), ("post", {"csrfmiddlewaretoken": token})):
            got, missing = (getattr(client, method)(each, data) for each in (address, never))
            # A refusal may send the page back to the row's own address, which names the row as asked.
            location = got.get("Location", "").replace(address, never)
            for key in named:
                location = location.replace(f"/{theirs[key]}/", "/987654/")
            assert (got.status_code, location) == (missing.status_code, missing.get("Location", "")), (
                name,
                method,
                got.status_code,
                missing.status_code,
            )
            assert got.status_code in {302, 404, 405}, (name, method, got.status_code)
            private_headers(got, name)
    assert walked > 45
    assert practice_b_rows(world) == before


def practice_b_rows(world) -> list:
    """B's rows the walk names, as they stand: none may change when another practice's staff name them."""
    from recordaccess.api.models import ApiToken
    from recordaccess.intake.models import AccessRequest
    from recordaccess.practices.models import Membership

    b = world.b
    return [
        list(model.objects.filter(**{lookup: b}).order_by("pk").values())
        for model, lookup in (
            (Cohort, "practice"),
            (Campaign, "practice"),
            (Flag, "patient__practice"),
            (ApiToken, "practice"),
            (AccessRequest, "practice"),
            (Membership, "practice"),
        )
    ]


def test_an_organisations_pages_are_found_by_its_observer_alone(world):
    samples = {**world.samples["a"], "code": "QWE"}
    observer, _ = signed_in(world.observer)
    for name, arguments in ORGANISATION_PAGES:
        got = observer.get(url(name, arguments, samples, chart="funnel"))
        assert got.status_code == 200, name
        private_headers(got, name)
    outsider, token = signed_in(world.b_admin)
    for name, arguments in ORGANISATION_PAGES:
        address = url(name, arguments, samples, chart="funnel")
        assert outsider.get(address).status_code == 404, name
        assert outsider.post(address, {"csrfmiddlewaretoken": token}).status_code == 404, name


# --- API operations --------------------------------------------------------------------------------------------


def api_path(path: str, **values) -> str:
    filled = path.format(reference="ABCD-EFGH", export_id=1, campaign_id=1, **values)
    return filled + (PERIOD if filled.endswith("/figures") else "")


def api_call(client: Client, method: str, path: str, secret: str | None):
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    if method == "get":
        return client.get(path, headers=headers)
    return client.post(
        path, REQUEST_BODY, content_type="application/json", headers={**headers, "Idempotency-Key": "walk-1"}
    )


@pytest.fixture
def _many_refusals(settings):
    """The walk makes more refused calls from one address than the flood limit lets through (H114)."""
    settings.API_REFUSED_PER_MINUTE = 10_000


def test_every_operation_refuses_callers_without_a_token_for_it(world, _many_refusals):
    client = Client(enforce_csrf_checks=True)
    refused_bodies = set()
    for (method, path), scope in OPERATION_SCOPES.items():
        practice_operation = "{ods}" in path
        own = api_path(path, ods="A81001", code="QWE")
        nobody = api_call(client, method, own, None)
        assert nobody.status_code == 401, (method, path, nobody.status_code)
        refused_bodies.add(nobody.content)
        private_headers(nobody, path)
        # Another practice's token, and the organisation's on a practice (or a practice's on the organisation).
        strangers = ["b", "icb"] if practice_operation else ["a", "b"]
        for stranger in strangers:
            got = api_call(client, method, own, world.tokens[stranger])
            assert got.status_code == 404, (method, path, stranger, got.status_code)
            private_headers(got, path)
        if practice_operation:
            lacking = api_call(client, method, own, world.scoped[scope])
            assert lacking.status_code == 403, (method, path, scope, lacking.status_code)
            # Its own token with every scope is not refused, though CSRF is checked: a bearer token is no cookie.
            allowed = api_call(client, method, own, world.tokens["a"])
            assert allowed.status_code not in {401, 403}, (method, path, allowed.status_code)
        else:
            allowed = api_call(client, method, own, world.tokens["icb"])
            assert allowed.status_code == 200, (method, path, allowed.status_code)
        private_headers(allowed, path)
    assert len(refused_bodies) == 1  # nothing in a 401 says why


def test_the_walks_cover_every_page_and_operation():
    assert len(PRACTICE_PAGES) > 120 and len(ORGANISATION_PAGES) == 7
    assert {name for name, _ in SIGNED_IN_PAGES} == {
        "staff:home",
        "staff:enrol",
        "staff:verify",
        "staff:invitation_answer",
    }
