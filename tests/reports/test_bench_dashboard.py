"""The dashboard benchmark fills an ICB that looks like six months of real work, times both pages and leaves
the database as it found it (its targets are met in the benchmark, not here)."""

import io
import json
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from recordaccess.assurance.models import ExclusionSnapshot
from recordaccess.conversations.models import Booking, Slot
from recordaccess.intake.models import ON_LIST, AccessRequest, IdentityCheck
from recordaccess.outreach.models import Campaign, Message, PatientReply
from recordaccess.patients.models import Patient
from recordaccess.practices.models import Membership, Organisation, OrganisationMembership, Practice
from recordaccess.practices.selectors import organisation_practices
from recordaccess.questions.models import Question
from recordaccess.reports import bench
from recordaccess.review.models import Decision, Review
from tests import factories

PATIENTS = 400


def _run(*args) -> dict:
    out = io.StringIO()
    call_command("bench_dashboard", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def kept_icb(db):
    result = _run("--practices", "3", "--patients-per-practice", str(PATIENTS), "--fill-only", "--keep")
    yield result
    bench.empty()


def test_the_fill_reports_what_it_wrote_and_times_no_page_with_fill_only(kept_icb):
    assert kept_icb["practices"] == 3 and kept_icb["patients"] == 3 * PATIENTS
    assert kept_icb["messages"] == 3 * PATIENTS and kept_icb["requests"] == 3 * PATIENTS // 10
    assert kept_icb["fill_seconds"] > 0 and kept_icb["pass"] is None and kept_icb["dashboard_p95_ms"] is None
    rows = kept_icb["rows"]
    assert rows["patients"] == Patient.objects.filter(practice__ods_code__startswith="Z8").count()
    assert rows["replies"] == PatientReply.objects.filter(practice__ods_code__startswith="Z8").count()
    assert rows["decisions"] == Decision.objects.filter(practice__ods_code__startswith="Z8").count()
    assert rows["questions"] == Question.objects.filter(practice__ods_code__startswith="Z8").count() > 0
    assert rows["exclusion_snapshots"] == ExclusionSnapshot.objects.count() == 3 * bench.DAYS
    assert rows["bookings"] == Booking.objects.count() > 0


def test_the_icb_holds_every_practice_through_its_pcns_with_an_observer_and_practice_staff(kept_icb):
    icb = Organisation.objects.get(code=bench.ICB_CODE, kind="icb")
    assert list(organisation_practices(icb).values_list("ods_code", flat=True)) == [
        "Z80000",
        "Z80001",
        "Z80002",
    ]
    assert icb.children.filter(kind="pcn").count() == 1
    assert OrganisationMembership.objects.filter(organisation=icb, user__username=bench.OBSERVER).exists()
    members = Membership.objects.filter(user__username=bench.PRACTICE_STAFF)
    assert members.count() == 3 and {m.role for m in members} == {"administrator"}
    for practice in Practice.objects.filter(ods_code__startswith="Z8"):
        assert practice.go_live_on and practice.approach_agreed_on < practice.go_live_on
        assert practice.dpia.is_recorded


def test_every_patient_has_one_message_in_the_campaign_of_their_channel_with_statuses_spread(kept_icb):
    messages = Message.objects.filter(campaign__practice__ods_code__startswith="Z8")
    assert messages.values("patient").distinct().count() == 3 * PATIENTS
    for campaign in Campaign.objects.filter(practice__ods_code__startswith="Z8"):
        assert set(campaign.messages.values_list("channel", flat=True)) == {campaign.name.rsplit(" ", 1)[-1]}
    statuses = Counter(messages.values_list("status", flat=True))
    assert statuses["delivered"] > 0.5 * sum(statuses.values())
    assert statuses["sent"] and statuses["permanent-failure"]
    assert not messages.exclude(status="queued").filter(sent_at=None).exists()
    patients = Patient.objects.filter(practice__ods_code__startswith="Z8")
    assert set(patients.values_list("status", flat=True)) >= {"registered", "left"}
    assert set(patients.values_list("preference", flat=True)) == {
        "not_known",
        "wants_access",
        "no_access",
        "has_questions",
    }
    assert patients.exclude(online_account_since=None).count() > 0.2 * patients.count()
    replies = PatientReply.objects.filter(practice__ods_code__startswith="Z8")
    assert not replies.exclude(preference=F("patient__preference")).exists()
    assert not replies.exclude(message__patient=F("patient")).exists()


def test_requests_run_across_the_pipeline_each_where_its_state_puts_it(kept_icb):
    requests = AccessRequest.objects.filter(practice__ods_code__startswith="Z8")
    assert set(requests.values_list("status", flat=True)) >= {"waiting", "identity_verified", "decided"}
    for request in requests:
        assert request.on_list == (request.status in ON_LIST and request.wish == "wants_access")
    verified = requests.filter(wish="wants_access", status__in=[*ON_LIST, "in_review", "decided"])
    assert IdentityCheck.objects.filter(request__in=verified).count() == verified.count()
    assert not IdentityCheck.objects.filter(verified_at__lt=F("request__received_at")).exists()
    in_review = requests.filter(status="in_review")
    assert Review.objects.filter(request__in=in_review).exclude(reviewer="").count() == in_review.count()
    decided = requests.filter(status="decided")
    assert Decision.objects.filter(request__in=decided).count() == decided.count() > 0
    assert not Decision.objects.filter(decided_at__lt=F("request__received_at")).exists()
    assert not Decision.objects.exclude(patient=F("request__patient")).exists()
    assert Slot.objects.filter(kind="drop_in").exists()


def test_reuse_finds_the_kept_icb_and_refuses_another_size(kept_icb):
    with pytest.raises(CommandError) as refused:
        _run("--practices", "4", "--patients-per-practice", str(PATIENTS), "--reuse")
    assert refused.value.returncode == 2 and "--keep" in str(refused.value)
    assert bench.filled() == {
        "practices": 3,
        "patients": 3 * PATIENTS,
        "requests": 120,
        "messages": 3 * PATIENTS,
    }


@pytest.mark.django_db
def test_two_fills_are_the_same_so_runs_compare():
    fill = ["--practices", "2", "--patients-per-practice", "200", "--fill-only"]
    assert _run(*fill)["rows"] == _run(*fill)["rows"]


@pytest.mark.django_db
def test_the_benchmark_empties_its_icb_and_touches_nothing_else():
    other = factories.practice("A81001")
    Patient.objects.create(
        practice=other, nhs_number="9434765919", family_name="Real", date_of_birth="1970-01-01"
    )
    _run("--practices", "2", "--patients-per-practice", "40", "--fill-only")
    assert not Practice.objects.filter(ods_code__startswith="Z8").exists()
    assert not Organisation.objects.exists() and not OrganisationMembership.objects.exists()
    assert (
        not Message.objects.exists() and not AccessRequest.objects.exists() and not Question.objects.exists()
    )
    assert list(Patient.objects.values_list("family_name", flat=True)) == ["Real"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--practices", "0"], "--practices must be"),
        (["--practices", "10001"], "--practices must be"),
        (["--patients-per-practice", "9"], "--patients-per-practice must be"),
        (["--samples", "0"], "--samples must be"),
        (["--reuse", "--fill-only"], "cannot go together"),
        (["--reuse"], "run once with --keep"),
    ],
)
def test_unusable_options_exit_2_with_the_reason(args, says):
    with pytest.raises(CommandError, match=says) as refused:
        _run(*args)
    assert refused.value.returncode == 2


@pytest.mark.django_db
def test_the_benchmark_times_the_dashboard_and_the_rollup_and_leaves_nothing_behind():
    """Needs the dashboard (`staff:programme`, `reports.refresh`) and the roll-up (`staff:organisation`)."""
    result = _run("--practices", "2", "--patients-per-practice", "40", "--samples", "2")
    assert result["practices"] == 2 and result["patients"] == 80 and result["messages"] == 80
    assert result["refresh_seconds"] >= 0 and result["samples"] == 2
    for page in ("dashboard", "rollup"):
        assert 0 < result[f"{page}_p50_ms"] <= result[f"{page}_p95_ms"] <= result[f"{page}_max_ms"]
    assert result["pass"] is (result["dashboard_p95_ms"] < 200 and result["rollup_p95_ms"] < 500)
    assert not Practice.objects.filter(ods_code__startswith="Z8").exists()
