"""Every URL the project resolves, walked with odd values in each part of a request: the path's arguments, the
query string, form fields, a JSON body. As nobody and as a signed-in administrator, by GET and by POST, no answer
is a server error. CI runs the suite on SQLite and again on PostgreSQL, which refuses what SQLite stores."""

import datetime
import json
import re
from urllib.parse import quote

import hypothesis
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from hypothesis import HealthCheck, example, given
from hypothesis import strategies as st

from recordaccess.assurance import plan, sweep
from recordaccess.assurance import services as assurance
from recordaccess.audit.services import Actor
from recordaccess.conversations.drop_ins import book_place
from recordaccess.conversations.services import create_slot
from recordaccess.health.models import WorkerHeartbeat
from recordaccess.patients.models import OnlineAccountImport, Patient
from recordaccess.practices import services as practice_services
from recordaccess.practices.roles import Role
from recordaccess.questions import faq, inbox, ppg
from tests import factories
from tests.review.conftest import waiting_request

pytestmark = pytest.mark.django_db
TOKEN = "a-long-random-callback-token-0123456789"
ARGUMENT = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def every_route() -> list[str]:
    """Each URL pattern as one route string, its includes' prefixes joined on: "staff/p/<str:ods>/…"."""

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return sorted(set(walk(get_resolver().url_patterns, "")))


ROUTES = every_route()
# What views read from the query string and the body, so odd values reach the code that uses them.
FIELDS = [
    *("q", "page", "show", "next", "from", "state", "code", "route", "large_print", "nhs_number"),
    "format",
    *("patient", "status", "need", "note", "action", "slot", "wish", "access_level", "declarations"),
    *("username", "password", "otp_token", "name", "reference", "day", "month", "year", "preference"),
    *("given_name", "family_name", "website", "id", "source_number", "message", "phone"),
    *("recorded_on", "reason", "end_reason", "flags_all", "needs_review"),
    *("topic", "text", "postcode", "answer_within_days", "assign-owner"),
    *("answer-channel", "answer-text", "answer-number", "answer-then", "call-text", "call-then"),
    *("note-text", "topic-topic", "clinician-reason", "outcome"),
    *(
        "held_on_day",
        "attendees",
        "discussed",
        "what",
        "owner",
        "done",
        "done_on_year",
        "start_day",
        "end_year",
    ),
    *("question", "contact_by", "mobile", "email", "helpful"),
    *("month", "sort", "order", "start", "end"),
    *("title", "source", "likelihood", "severity", "measures", "approved", "review_on", "held_on_day"),
]
ODD = st.one_of(
    st.sampled_from(
        [
            *("\x00", "a\x00b", "\ud800", "\udfff", "\x1b", "\r\n", "\u202e", "\ufeff", "..", "%", "'", "<"),
            *("9" * 25, "-1", "\U0001f600", "x" * 300),
        ]
    ),
    st.text(max_size=30),  # every character but surrogates, NUL and the other controls among them
)
NUL = "\x00"
FIELD_VALUES = st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)), ODD, max_size=4)
# Per argument of the path: the sample value, an odd value in its place, or the sample with an odd tail.
PART = st.one_of(
    st.tuples(st.just("sample"), st.just("")),
    st.tuples(st.sampled_from(["instead", "after"]), ODD),
    st.tuples(st.just("bytes"), st.binary(max_size=8)),
)
# Typed by someone, or pasted: what a form must turn into a clear answer, never a crash.
PASTED = "O'Brien \u202e<b>\x1b\ufeff\U0001f600 9999999999999999999999"


def _quote(value: str | bytes) -> str:
    return quote(value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass"), safe="")


def _path(route: str, parts: list, samples: dict) -> str:
    arguments = iter(parts)

    def fill(match) -> str:
        sample = samples.get(match["name"], "1" if match["converter"] == "int" else "x")
        how, odd = next(arguments)
        value = {"sample": sample, "instead": odd, "after": f"{sample}{odd}", "bytes": odd}[how]
        return _quote(value) if value != "" else _quote(sample)

    return "/" + ARGUMENT.sub(fill, route)


def _encoded(fields: dict) -> str:
    return "&".join(f"{_quote(key)}={_quote(value)}" for key, value in fields.items())


def _printable(fields: dict) -> dict:
    """The test client writes multipart bodies as UTF-8, which has no half surrogate pairs."""
    return {
        key.encode("utf-8", "replace").decode(): value.encode("utf-8", "replace").decode()
        for key, value in fields.items()
    }


@pytest.fixture
def world(practice, settings):
    """A practice with an administrator, its rows (`practice_samples`), a worker's heartbeat (so /healthz is 200)
    and an ICB holding the practice, observed by the administrator."""
    settings.NOTIFY_CALLBACK_TOKEN = TOKEN
    WorkerHeartbeat.objects.create(worker="walk", backend="db", last_seen=timezone.now())
    administrator = factories.staff(practice, Role.ADMINISTRATOR)
    samples = practice_samples(practice, administrator)
    # An ICB holding the practice, observed by the administrator: its pages' <code> is the reply code's sample.
    icb = practice_services.create_organisation(
        actor=Actor.system("walk"), code="ABCDEFGHIJ", name="Walk ICB", kind="icb"
    )
    practice_services.change_organisation_practices(
        actor=Actor.system("walk"), organisation=icb, add=[practice.ods_code]
    )
    practice_services.add_organisation_observer(
        actor=Actor.system("walk"), organisation=icb, user=administrator
    )
    return administrator, samples


def practice_samples(practice, administrator) -> dict[str, str]:
    """In one practice: a request waiting for review, a question, a PPG meeting and action, a DPIA draft with a
    risk and a consultation, a plan draft, a drop-in with a place booked, a weekly sweep and an online-accounts
    import: a value for each argument of the paths that finds a real row, so a walk reaches the code past the
    look-up (tests/security walks another practice's values to prove they are not found)."""
    item = waiting_request(practice)
    question = inbox.receive(
        actor=Actor.system("walk"), practice=practice, route="call", text="Is it free?", patient=item.patient
    )
    meeting = ppg.add_meeting(
        actor=Actor.system("walk"),
        practice=practice,
        held_on=timezone.localdate(),
        attendees="a",
        discussed="b",
    )
    action = ppg.add_action(
        actor=Actor.system("walk"), practice=practice, meeting_id=meeting.pk, what="w", owner="o",
        due_on=timezone.localdate(),
    )  # fmt: skip
    # A DPIA draft with a risk and a consultation, so its pages' arguments find rows.
    risk = assurance.add_risk(
        actor=Actor.system("walk"),
        practice=practice,
        title="T",
        source="S",
        likelihood="remote",
        severity="some",
    )
    consultation = assurance.add_consultation(
        actor=Actor.system("walk"),
        practice=practice,
        consulted="dpo",
        who="DPO",
        held_on=timezone.localdate(),
        said="Go ahead",
    )
    # A draft of the practice plan, so its version's pages find it.
    plan.save_section(actor=Actor.system("walk"), practice=practice, key="approach", values={"why": "W"})
    drop_in = create_slot(
        actor=Actor.system("walk"),
        practice=practice,
        host="Practice team",
        starts_at=timezone.now() + datetime.timedelta(days=3),
        minutes=60,
        mode="in_person",
        kind="drop_in",
        places=3,
    )
    place = book_place(
        practice=practice, slot_id=drop_in.pk, name="Sam", phone="07700900111", actor=Actor.system("walk")
    )
    # A weekly sweep naming the waiting request's patient, and an online-accounts import.
    week = sweep.week_of(timezone.localdate())
    Patient.objects.filter(pk=item.patient_id).update(registered_on=week - datetime.timedelta(days=2))
    found_sweep, _ = sweep.generate(practice, week_starting=week)
    online = OnlineAccountImport.objects.create(practice=practice, filename="accounts.csv", started_by="walk")
    return {
        "ods": practice.ods_code,
        "user_id": str(administrator.pk),
        "request_id": str(item.pk),
        "patient_id": str(item.patient_id),
        "question_id": str(question.pk),
        "step": "name",
        "action": "unlock",
        "code": "abcdefghij",
        "meeting_id": str(meeting.pk),
        "action_id": str(action.pk),
        "risk_id": str(risk.pk),
        "consultation_id": str(consultation.pk),
        "version": "1",
        "part": "need",
        "plan_version": "1",
        "section": "approach",
        "fmt": "md",
        "slot_id": str(drop_in.pk),
        "booking_id": str(place.pk),
        "slug": "what-online-access-shows",
        "answer_id": str(faq.answers(practice)[0].pk),
        "sweep_id": str(found_sweep.pk),
        "entry_id": str(found_sweep.entries.get().pk),
        "online_import_id": str(online.pk),
    }


def _send(client: Client, method: str, url: str, inputs: dict):
    if method == "GET":
        return client.get(url)
    if inputs["body"] == "json":
        return client.post(
            url,
            json.dumps(inputs["form"]),
            content_type="application/json",
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
    if inputs["body"] == "multipart":
        fields = _printable(inputs["form"])
        name = next(iter(fields.values()), "").replace("/", " ").replace("\\", " ")
        upload = SimpleUploadedFile(f"register {name}", b"a,b\n")
        return client.post(url, {**fields, "file": upload})
    return client.post(url, _encoded(inputs["form"]), content_type="application/x-www-form-urlencoded")


@st.composite
def requests(draw) -> dict:
    route = draw(st.sampled_from(ROUTES))
    width = len(ARGUMENT.findall(route))
    return {
        "route": route,
        "parts": draw(st.lists(PART, min_size=width, max_size=width)),
        "query": draw(FIELD_VALUES),
        "form": draw(FIELD_VALUES),
        "body": draw(st.sampled_from(["form", "multipart", "json"])),
        "who": draw(st.sampled_from(["nobody", "administrator"])),
        "method": draw(st.sampled_from(["GET", "POST"])),
    }


def every_route_once(route: str) -> list[dict]:
    """What each route gets whatever hypothesis draws: a NUL in each part of a request, and pasted text in
    every field a view reads, with the path's arguments finding real rows."""
    width = len(ARGUMENT.findall(route))
    nul = {"route": route, "parts": [("after", NUL)] * width, "query": {"q": NUL}, "form": {"note": NUL}}
    found = {"route": route, "parts": [("sample", "")] * width, "who": "administrator", "body": "form"}
    pasted = dict.fromkeys(FIELDS, PASTED)
    return [
        {**nul, "who": "administrator", "method": "GET", "body": "form"},
        {**nul, "who": "nobody", "method": "POST", "body": "form"},
        {**nul, "parts": found["parts"], "query": {}, "who": "nobody", "method": "POST", "body": "json"},
        {**found, "query": pasted, "form": pasted, "method": "POST"},
    ]


def _sent_nul(inputs: dict) -> bool:
    sent = [odd for how, odd in inputs["parts"] if how != "sample"]
    for fields in [inputs["query"], inputs["form"] if inputs["method"] == "POST" else {}]:
        sent.extend([*fields.keys(), *fields.values()])
    return any((NUL if isinstance(value, str) else NUL.encode()) in value for value in sent)


def test_no_input_to_any_url_is_a_server_error(world):
    administrator, samples = world
    clients = {"nobody": Client(), "administrator": factories.sign_in(Client(), administrator)}

    def walk(inputs):
        url = _path(inputs["route"], inputs["parts"], samples)
        if inputs["query"]:
            url += "?" + _encoded(inputs["query"])
        client = clients[inputs["who"]]
        if inputs["who"] == "administrator" and "_auth_user_id" not in client.session:
            factories.sign_in(client, administrator)  # again, after a walk to the sign-out page
        response = _send(client, inputs["method"], url, inputs)
        assert response.status_code < 500, f"{inputs['method']} {url} answered {response.status_code}"
        if _sent_nul(inputs):
            assert response.status_code == 400, f"{inputs['method']} {url} carried a NUL and was not refused"

    for route in ROUTES:
        for inputs in every_route_once(route):
            walk = example(inputs=inputs)(walk)
    # Bounded: the explicit cases above, then 40 drawn ones, the same on every run (a few seconds each database).
    hypothesis.settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )(given(inputs=requests())(walk))()


def test_the_walk_covers_every_kind_of_url():
    assert len(ROUTES) > 80
    assert {"healthz", "notify/receipts", "r/<str:code>/", "staff/p/<str:ods>/patients/"} <= set(ROUTES)
    assert any(route.startswith("p/<str:ods>/request/") for route in ROUTES)
