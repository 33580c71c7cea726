"""The loaded demo practice: what it holds, and the logins printed for it."""

import itertools
import json
import re
from base64 import b32encode

import pyotp
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from django_otp import match_token

from recordaccess.audit.models import AuditEntry
from recordaccess.audit.services import Actor
from recordaccess.core import nhs_number
from recordaccess.intake import priority, waiting_list
from recordaccess.intake.models import AccessRequest
from recordaccess.outreach.models import OutboxItem, PatientReply
from recordaccess.patients.models import Patient
from recordaccess.practices import services
from recordaccess.practices.models import Membership, Practice, StaffUser
from recordaccess.practices.roles import Role
from recordaccess.questions.models import Question, QuestionEntry, QuestionRoute, QuestionState
from recordaccess.review.models import CodingEntry, Review

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _loaded(django_db_setup, django_db_blocker):
    """The demo loaded once for this module (it takes seconds); each test runs in its own transaction, rolled
    back after it, and the module empties the database when it is done."""
    with django_db_blocker.unblock():
        call_command("demo", verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(_loaded, db, capsys):
    return Practice.objects.get(ods_code="Y12345")


DRAMA_MOBILE = re.compile(r"^07700900\d{3}$")
DEMO_USERNAMES = ["demo-admin", "demo-ig", "demo-reviewer", "demo-reception", "demo-observer", "demo-icb"]


def printed_login(out: str, username: str) -> tuple[str, str]:
    """The password and current code that demo_logins printed for one account."""
    match = re.search(rf"username  {username}\n +password  (.+)\n +code now  (\d{{6}})\n", out)
    assert match, out
    return match.group(1), match.group(2)


def test_the_demo_practice_has_an_account_per_role_two_administrators_and_2000_patients(demo):
    roles = sorted(Membership.objects.filter(practice=demo).values_list("role", flat=True))
    assert roles == sorted([*Role.values, Role.ADMINISTRATOR])  # a second, to approve what the first writes
    assert demo.patients.count() == 2000
    assert demo.dpia.is_recorded


def test_the_demo_has_flags_that_put_some_patients_under_review_and_two_cohorts(demo):
    assert demo.patients.filter(access_status="enhanced_review").count() > 20
    assert demo.patients.filter(flags__kind="large_print").exists()
    assert demo.cohorts.count() == 3


def test_the_demo_templates_are_installed_and_approved(demo):
    templates = demo.message_templates.all()
    assert templates.count() > 10
    assert set(templates.values_list("status", flat=True)) == {"approved"}


def test_the_demo_has_a_hybrid_campaign_whose_plan_splits_the_wording(demo):
    campaign = demo.campaigns.get(name="Launch: adults with a mobile")
    assert campaign.status == "draft"
    assert campaign.plan["by_wording"]["review"] > 0 and campaign.plan["by_wording"]["standard"] > 0
    assert not campaign.plan["left_out"].get("no_review_template")


def test_the_demo_has_letters_in_each_patients_format_and_answers_that_became_what_they_said(demo):
    campaign = demo.campaigns.get(name="Letters in the format each patient needs")
    assert campaign.status == "completed"
    formats = set(campaign.messages.values_list("format", flat=True))
    assert {"easy_read", "large_print_24"} <= formats
    assert OutboxItem.objects.filter(message__campaign=campaign, message__format="easy_read").exists()
    answers = dict(PatientReply.objects.filter(practice=demo).values_list("preference", "patient_id"))
    assert set(answers) == {"wants_access", "no_access", "has_questions"}
    assert AccessRequest.objects.filter(patient_id=answers["wants_access"], route="reply").exists()
    no = Patient.objects.get(pk=answers["no_access"])
    assert CodingEntry.objects.filter(nhs_number=no.nhs_number, code="1290331000000103", reply__isnull=False)
    asked = Question.objects.get(practice=demo, route="link")
    assert asked.patient_id == answers["has_questions"] and asked.reply.preference == "has_questions"


def test_the_demos_waiting_list_holds_only_requests_for_access(demo):
    waiting = AccessRequest.objects.filter(practice=demo, on_list=True)
    assert waiting.count() > 50
    assert set(waiting.values_list("wish", flat=True)) == {"wants_access"}
    # The demo's questions from the request form are in the inbox, and its "no"s are recorded declines.
    asked = AccessRequest.objects.filter(practice=demo, wish="has_questions")
    assert asked.exists() and all(Question.objects.filter(request=r).exists() for r in asked)
    said_no = AccessRequest.objects.filter(practice=demo, wish="no_access").exclude(patient=None)
    assert said_no.exists() and not said_no.exclude(status="decided").exists()


def test_the_demo_has_questions_in_every_state_from_every_route_and_an_answer_sent_by_text(demo):
    questions = Question.objects.filter(practice=demo)
    assert set(questions.values_list("state", flat=True)) == set(QuestionState.values)
    assert set(questions.values_list("route", flat=True)) == set(QuestionRoute.values)
    answer = QuestionEntry.objects.get(
        question__practice=demo, kind="answer", channel="sms", question__state="answered"
    )
    assert answer.direct_message.channel == "sms" and answer.direct_message.reference.startswith("question-")


def test_demo_patients_are_synthetic_and_cannot_reach_anyone(demo):
    numbers = list(demo.patients.values_list("nhs_number", flat=True))
    assert len(set(numbers)) == len(numbers)
    assert all(nhs_number.is_valid(n) and n.startswith("999") for n in numbers)
    mobiles = [m for m in demo.patients.values_list("mobile", flat=True) if m]
    assert mobiles and all(DRAMA_MOBILE.match(m) for m in mobiles)
    emails = [e for e in demo.patients.values_list("email", flat=True) if e]
    assert emails and all(e.endswith("@example.com") for e in emails)


def test_demo_patients_span_ages_from_children_to_the_very_old(demo):
    from datetime import date

    ages = [(date.today() - dob).days // 365 for dob in demo.patients.values_list("date_of_birth", flat=True)]
    assert min(ages) < 16 < max(ages)
    assert max(ages) >= 80


def test_loading_the_demo_twice_changes_nothing(demo, capsys):
    call_command("demo", "--json")
    assert json.loads(capsys.readouterr().out) == {
        "practice": "Y12345",
        "skipped": False,
        "created": {
            "practice": 0,
            "staff accounts": 0,
            "organisations": 0,
            "patients": 0,
            "flags": 0,
            "cohorts": 0,
            "templates": 0,
            "campaigns": 0,
            "DPIA versions": 0,
            "practice plan versions": 0,
            "safety sweeps": 0,
            "exclusion snapshots": 0,
            "PPG meetings": 0,
            "neighbouring practices": 0,
        },
    }
    assert Practice.objects.count() == 4  # the demo practice and its three neighbours
    assert sorted(StaffUser.objects.values_list("username", flat=True)) == sorted(DEMO_USERNAMES)
    assert Patient.objects.filter(practice=demo).count() == 2000
    assert Patient.objects.count() == 2000 + 600 + 400 + 300


def test_the_demo_dpia_has_all_seven_steps_done_and_the_default_register_with_one_residual_medium(demo):
    from recordaccess.assurance import steps
    from recordaccess.assurance.selectors import latest

    dpia = latest(demo)
    assert dpia.is_signed and dpia.number == 1
    assert [state for _, state in steps.statuses(dpia)] == [steps.DONE] * 7
    residual = [risk.residual_level for risk in dpia.risks.all()]
    assert len(residual) == 8 and residual.count("medium") == 1 and "high" not in residual
    assert demo.dpia.reference == dpia.reference and demo.dpia.residual_risk == "medium"


def test_each_load_is_one_audit_entry_for_the_demo_not_one_per_patient(demo):
    assert AuditEntry.objects.filter(action="demo.load", practice_ods="Y12345").count() == 1
    # Demo requests, reviews and questions are walked through the real services, so they leave the trail real
    # ones would; nothing else is recorded per patient.
    assert (
        not AuditEntry.objects.filter(patient_id__isnull=False)
        .exclude(action__startswith="request.")
        .exclude(action__startswith="review.")
        .exclude(action__startswith="question.")
        .exclude(action="patient.preference")
        .exists()
    )


def test_if_empty_leaves_a_loaded_demo_alone(demo, capsys):
    entries = AuditEntry.objects.count()
    call_command("demo", "--if-empty")
    assert "Demo already loaded" in capsys.readouterr().out
    call_command("demo", "--if-empty", "--json")
    assert json.loads(capsys.readouterr().out) == {"practice": "Y12345", "skipped": True, "created": {}}
    assert AuditEntry.objects.count() == entries


def test_demo_logins_print_for_each_account_a_password_and_code_the_server_accepts(demo, capsys):
    call_command("demo_logins")
    out = capsys.readouterr().out
    for username in DEMO_USERNAMES:
        password, code = printed_login(out, username)
        user = StaffUser.objects.get(username=username)
        assert user.check_password(password)
        assert match_token(user, code) is not None
    assert "change every 30 seconds" in out
    assert "run `.venv/bin/recordaccess demo_logins`" in out


def test_demo_logins_print_the_fixed_key_as_an_authenticator_app_link(demo, capsys):
    device = StaffUser.objects.get(username="demo-admin").totpdevice_set.get()
    call_command("demo_logins")
    out = capsys.readouterr().out
    assert f"app link  {device.config_url}\n" in out
    assert re.search(r"app key   ([A-Z2-7]{4} ){7}[A-Z2-7]{4}\n", out)


def test_a_person_signs_in_with_the_printed_password_and_an_app_set_up_from_the_printed_link(
    demo, capsys, client
):
    call_command("demo_logins")
    out = capsys.readouterr().out
    password, _ = printed_login(out, "demo-reviewer")
    link = re.search(r"app link  (otpauth://\S+recordaccess%3Ademo-reviewer\S+)\n", out).group(1)
    app = pyotp.parse_uri(link)
    response = client.post(reverse("staff:sign_in"), {"username": "demo-reviewer", "password": password})
    assert response["Location"].startswith(reverse("staff:verify"))
    client.post(reverse("staff:verify"), {"token": app.now()})
    assert client.get(reverse("staff:dashboard", kwargs={"ods": "Y12345"})).status_code == 200


def test_the_authenticator_keys_are_fixed_so_an_app_set_up_once_keeps_working_after_a_reload(demo):
    admin = StaffUser.objects.get(username="demo-admin")
    # Pinned: changing it would break every authenticator app that already holds the demo key.
    assert b32encode(admin.totpdevice_set.get().bin_key).decode() == "N6ROQRIENEGB3LDPJC4BLKDW722GEPG3"
    admin.totpdevice_set.all().delete()
    call_command("demo")
    assert b32encode(admin.totpdevice_set.get().bin_key).decode() == "N6ROQRIENEGB3LDPJC4BLKDW722GEPG3"


def test_demo_logins_say_which_account_needs_the_demo_loaded_again_and_if_empty_restores_it(demo, capsys):
    reception = StaffUser.objects.get(username="demo-reception")
    services.reset_two_factor_by_operator(actor=Actor.system("tests"), username=reception.username)
    call_command("demo_logins")
    out = capsys.readouterr().out
    assert (
        "username  demo-reception\n    not set up in this practice: run `.venv/bin/recordaccess demo`" in out
    )
    printed_login(out, "demo-reviewer")
    call_command("demo", "--if-empty")
    call_command("demo_logins")
    _, code = printed_login(capsys.readouterr().out, "demo-reception")
    assert match_token(reception, code) is not None


def test_demo_logins_refuse_in_production(demo, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="not available in production") as failure:
        call_command("demo_logins")
    assert failure.value.returncode == 2


def test_the_demo_has_requests_in_every_state_and_some_to_match_by_hand(demo):
    from recordaccess.intake.models import AccessRequest, RequestStatus, Route

    requests = AccessRequest.objects.filter(practice=demo)
    assert requests.count() >= 250
    assert set(requests.values_list("status", flat=True)) == set(RequestStatus.values)
    assert requests.filter(match_status="needs_staff").exists()
    assert set(requests.values_list("route", flat=True)) == set(Route.values)


def test_the_demo_has_children_asking_for_their_own_record_with_the_assessment_each_needs(demo):
    from recordaccess.intake import children
    from recordaccess.intake.models import AccessRequest

    found = {
        assessment.needs
        for item in AccessRequest.objects.filter(practice=demo, route="online", wish="wants_access")
        if (assessment := children.for_request(item))
    }
    assert "under 13 — a clinician decides; identity checked at the desk" in found
    assert "Gillick competence to be assessed" in found


def test_the_demo_has_a_patient_recoded_104_after_106_whose_request_only_a_reviewer_can_decide(demo):
    """H47 in the demo: the waiting list flags the request and reception is refused the decision."""
    from recordaccess.intake.models import AccessRequest
    from recordaccess.review import decisions
    from recordaccess.review.models import Review

    request = AccessRequest.objects.get(
        practice=demo,
        on_list=True,
        patient__flags__code="1364751000000106",
        patient__flags__recorded_on__year=2023,
    )
    assert request.risk_flag
    assert request.patient.flags.get(code="1364731000000104").recorded_on.year == 2024
    reception = Actor.system("demo-reception")
    decisions.claim(actor=reception, request=request)
    request.refresh_from_db()
    given = decisions.DecisionInput(
        outcome="granted",
        nhs_number=request.patient.nhs_number,
        access_level="prospective",
        access_from=request.received_at.date(),
    )
    refused = decisions.problems(request, Review.objects.get(request=request), Role.RECEPTION, given)
    assert "only a reviewer" in refused[0][1]


def _scores(demo, requests) -> list[float]:
    """Each request's score as the waiting list shows it (intake/priority.py's reasons, added up)."""
    weights, now = waiting_list.weights_for(demo), timezone.now()
    return [
        sum(
            points
            for _, points in priority.reasons(
                need=r.clinical_need,
                risk_flag=r.risk_flag,
                access_level=r.access_level,
                received_at=r.received_at,
                now=now,
                weights=weights,
            )
        )
        for r in requests
    ]


def test_the_demo_waiting_list_is_in_score_order(demo):
    """The demo back-dates its requests; their places must follow, or a request worth 5 points sits above one
    worth 59. Whole days shown on screen can differ from the exact key by less than a day's points."""
    per_day = waiting_list.weights_for(demo).per_day
    listed = AccessRequest.objects.filter(practice=demo, on_list=True).order_by("-priority_key", "id")
    scores = _scores(demo, listed)
    assert len(scores) > 50
    out_of_order = [(a, b) for a, b in itertools.pairwise(scores) if b > a + per_day]
    assert out_of_order == []


def test_the_demo_reviewer_took_the_top_of_the_waiting_list(demo):
    """review/demo.py takes the first requests on the list into review: those must be the highest scores."""
    reviews = Review.objects.filter(practice=demo, first_claimed_at__isnull=False)
    started = reviews.order_by("first_claimed_at").values_list("first_claimed_at", flat=True).first()
    taken = _scores(demo, AccessRequest.objects.filter(review__in=reviews))
    left = _scores(demo, AccessRequest.objects.filter(practice=demo, on_list=True, received_at__lt=started))
    assert len(taken) > 40 and left
    assert min(taken) + waiting_list.weights_for(demo).per_day >= max(left)


def test_the_demo_has_a_drop_in_with_places_booked_online_and_a_past_one_with_who_came(demo):
    from recordaccess.conversations.models import Booking
    from recordaccess.conversations.selectors import past_drop_ins, upcoming_drop_ins

    [upcoming] = upcoming_drop_ins(demo)
    online = Booking.objects.filter(slot=upcoming, booked_by="online", cancelled_at=None)
    assert upcoming.booked == online.count() == 4 and upcoming.free == 16
    [held] = past_drop_ins(demo)
    assert held.attended == 2 and held.booked == 3 and held.note
    assert Booking.objects.filter(slot=held).exclude(note="").count() == 1
    numbers = Booking.objects.filter(practice=demo, booked_by="online").values_list("phone", flat=True)
    assert all(n.startswith(("07700900", "01134960")) for n in numbers)


def test_the_demo_practice_is_in_a_pcn_inside_an_icb_whose_observer_sees_it(demo, client):
    from recordaccess.practices.selectors import organisation_by_code, organisation_practices

    icb, pcn = organisation_by_code("Q99"), organisation_by_code("U99999")
    assert pcn.parent == icb
    assert demo in organisation_practices(pcn) and demo in organisation_practices(icb)
    observer = StaffUser.objects.get(username="demo-icb")
    assert not observer.memberships.exists()
    client.force_login(observer)
    session = client.session
    from django_otp import DEVICE_ID_SESSION_KEY

    session[DEVICE_ID_SESSION_KEY] = observer.totpdevice_set.get().persistent_id
    session.save()
    page = client.get(reverse("staff:organisation", kwargs={"code": "Q99"}))
    assert page.status_code == 200 and "Riverside Surgery (demo)" in page.content.decode()


def test_the_demo_icb_holds_four_practices_side_by_side_with_their_figures_counted(demo):
    """The ICB's observer sees the demo practice and its neighbours at once: each with its register counted in the
    figures (refreshed by the demo, not left for the worker), one without a DPIA and one whose review is due."""
    from recordaccess.assurance.selectors import assurance_of
    from recordaccess.practices.selectors import organisation_by_code, organisation_practices
    from recordaccess.reports.figures import default_period, rollup

    practices = list(organisation_practices(organisation_by_code("Q99")))
    assert sorted(p.ods_code for p in practices) == ["Y12345", "Y12346", "Y12347", "Y12348"]
    patients = {p.ods_code: f.funnel.patients for p, f in rollup(practices, default_period())}
    assert patients["Y12345"] > 1900 and patients["Y12346"] > 550 and patients["Y12348"] > 250
    found = assurance_of(practices)
    status = {p.ods_code: found[p.pk] for p in practices}
    assert not status["Y12347"].dpia_recorded and status["Y12348"].dpia_review_due
