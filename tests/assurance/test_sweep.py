"""The weekly safety sweep: who it names (from an imported online-accounts file, the register and the flags), the
16 and 11 boundaries, idempotent generation, outcomes and sign-off, the overdue item, and the plan's record."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from recordaccess.assurance import sweep
from recordaccess.assurance.models import Sweep, SweepEntry, SweepOutcome, SweepReason
from recordaccess.assurance.tasks import PERIODIC_TASKS, generate_weekly_sweeps
from recordaccess.audit.models import AuditEntry
from recordaccess.audit.services import Actor
from recordaccess.patients.models import FlagKind, OnlineAccountImport, Patient
from recordaccess.patients.services import run_online_accounts_import
from tests import factories
from tests.assurance.sweep_fixtures import BEFORE, WEEK, flag, make

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("tests")
D = datetime.date


def reasons(found: Sweep) -> dict[str, list[str]]:
    return {e.patient.family_name: e.reasons for e in found.entries.select_related("patient")}


def write(tmp_path, name, text) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_sweep_worklist_names_the_right_patients_from_an_imported_online_accounts_file(
    practice, tmp_path
):
    old = make(practice, "Baseline")  # an account from before this service: the first import's baseline
    new_account = make(practice, "Newaccount")
    new_proxy = make(practice, "Newproxy", born=D(2016, 1, 1))
    turning_16 = make(practice, "Sixteen", born=D(2010, 3, 12))  # 16 on Thursday 12 March 2026
    turning_11 = make(practice, "Eleven", born=D(2015, 3, 15))  # 11 on Sunday 15 March, a parent has proxy
    eleven_no_proxy = make(practice, "Elevenalone", born=D(2015, 3, 10))  # 11 in the week, account, no proxy
    sixteen_no_account = make(practice, "Sixteennoaccount", born=D(2010, 3, 10))
    make(practice, "Newcomer", registered_on=BEFORE, created=BEFORE)
    coded = make(practice, "Coded")
    flag(
        coded, FlagKind.DOMESTIC_ABUSE, imported=BEFORE, code="205171000000107", term="Domestic abuse victim"
    )
    flag(make(practice, "Oldcode"), FlagKind.SAFEGUARDING_CHILD, imported=D(2025, 6, 1), code="1", term="x")
    make(practice, "Left", registered_on=BEFORE, created=BEFORE, status="left")
    make(practice, "Nobody")

    first = write(
        tmp_path,
        "first.csv",
        f"NHS Number,Date registered for online services\n{old.nhs_number},01/02/2024\n",
    )
    run_online_accounts_import(actor=ACTOR, practice=practice, path=first, today=D(2026, 2, 20))
    rows = [
        "NHS Number,Date registered for online services,Proxy access,Proxy details",
        f"{old.nhs_number},01/02/2024,No,",
        f"{new_account.nhs_number},2025-11-01,No,",  # an old account, but new to this service: named
        f"{new_proxy.nhs_number},05/03/2026,Yes,Mother: Ann Newproxy",
        f"{turning_16.nhs_number},01/06/2023,No,",
        f"{turning_11.nhs_number},01/06/2020,Yes,Father",
        f"{eleven_no_proxy.nhs_number},01/06/2020,No,",
        "9999999999,01/01/2026,No,",  # not valid: rejected, row reported
    ]
    path = write(tmp_path, "accounts.csv", "\n".join(rows) + "\n")
    run, summary = run_online_accounts_import(actor=ACTOR, practice=practice, path=path, today=BEFORE)
    assert (summary.accounts, summary.rejected, run.status) == (6, 1, "completed")
    # The proxies and accounts first seen are named; the turning-16 and -11 rows would be too, first seen now.
    assert Patient.objects.get(pk=new_proxy.pk).proxy_details == "Mother: Ann Newproxy"

    found, created = sweep.generate(practice, week_starting=WEEK)
    assert created
    new = [SweepReason.NEW_ONLINE_ACCOUNT]
    assert reasons(found) == {
        "Newaccount": new,
        "Newproxy": new,
        "Sixteen": [*new, SweepReason.TURNING_16],
        "Eleven": [*new, SweepReason.TURNING_11_PROXY],
        "Elevenalone": new,
        "Newcomer": [SweepReason.NEW_REGISTRATION],
        "Coded": [SweepReason.NEW_SAFEGUARDING],
    }
    assert sixteen_no_account.family_name not in reasons(found)
    # The same file again names nobody new the week after; the children's birthdays are past.
    run_online_accounts_import(
        actor=ACTOR, practice=practice, path=path, today=WEEK + datetime.timedelta(days=1)
    )
    later, _ = sweep.generate(practice, week_starting=WEEK + datetime.timedelta(days=7))
    assert reasons(later) == {}


def test_online_accounts_import_reports_each_bad_row_and_audits(practice, tmp_path):
    patient = make(practice, "Smith")
    other = make(practice, "Jones")
    text = (
        "NHS Number,Online account created,Proxy access\n"
        f"{patient.nhs_number},31/02/2026,No\n"
        f"{other.nhs_number},01/01/2026,Maybe\n"
        f"{patient.nhs_number},01/01/2026,No\n"
        "943 476 5919,01/01/2026,No\n"
    )
    report = tmp_path / "report.csv"
    call_command(
        "import_online_accounts",
        write(tmp_path, "a.csv", text),
        practice=practice.ods_code,
        report=str(report),
    )
    problems = report.read_text()
    assert "is not a real date: the account is recorded as seen today" in problems
    assert "Proxy access not recognised (use Yes or No): recorded as proxy access" in problems
    assert "Duplicate" in problems and "No patient with this NHS number" in problems
    run = OnlineAccountImport.objects.get(practice=practice)
    assert (run.accounts, run.rejected, run.warnings, run.proxies) == (2, 2, 2, 1)
    assert Patient.objects.get(pk=other.pk).proxy_access is True
    assert AuditEntry.objects.filter(action="online_accounts.import", practice_ods=practice.ods_code).exists()


def test_a_file_without_the_date_column_is_refused_with_exit_2_unless_a_mapping_names_it(practice, tmp_path):
    patient = make(practice, "Smith")
    path = write(tmp_path, "b.csv", f"NHS Number,Made\n{patient.nhs_number},01/01/2026\n")
    with pytest.raises(
        CommandError, match="Missing required columns: Date registered for online services"
    ) as error:
        call_command("import_online_accounts", path, practice=practice.ods_code)
    assert error.value.returncode == 2
    mapping = write(tmp_path, "m.toml", '[columns]\nsince = "Made"\n')
    call_command("import_online_accounts", path, practice=practice.ods_code, mapping=mapping)
    assert Patient.objects.get(pk=patient.pk).online_account_since == D(2026, 1, 1)


@pytest.mark.parametrize(
    ("born", "named"),
    [
        (D(2010, 3, 8), False),  # 16 the Sunday before the week
        (D(2010, 3, 9), True),  # 16 on the Monday the week starts
        (D(2010, 3, 15), True),  # 16 on the Sunday the week ends
        (D(2010, 3, 16), False),  # 16 the Monday after
    ],
)
def test_turning_16_counts_birthdays_from_monday_to_sunday_of_the_sweeps_week(practice, born, named):
    make(practice, "Child", born=born, online_account_since=D(2022, 1, 1))
    found, _ = sweep.generate(practice, week_starting=WEEK)
    assert ("Child" in reasons(found)) is named


@pytest.mark.parametrize(
    ("proxy", "born", "named"),
    [(True, D(2015, 3, 9), True), (True, D(2015, 3, 16), False), (False, D(2015, 3, 9), False)],
)
def test_turning_11_is_named_only_where_a_parent_has_proxy_access(practice, proxy, born, named):
    make(
        practice,
        "Child",
        born=born,
        proxy_access=proxy,
        online_account_since=D(2022, 1, 1) if proxy else None,
    )
    found, _ = sweep.generate(practice, week_starting=WEEK)
    assert (SweepReason.TURNING_11_PROXY in reasons(found).get("Child", [])) is named


def test_a_child_born_on_29_february_turns_16_on_1_march_in_a_common_year(practice):
    make(practice, "Leap", born=D(2008, 2, 29), proxy_access=True)  # 16 in 2024 (leap): 29 Feb 2024
    make(
        practice, "Leapcommon", born=D(2012, 2, 29), proxy_access=True
    )  # 16 in 2028 (leap); 11 on 1 Mar 2023
    assert sweep.birthday(D(2012, 2, 29), 11) == D(2023, 3, 1)
    found, _ = sweep.generate(practice, week_starting=D(2023, 2, 27))
    assert reasons(found) == {"Leapcommon": [SweepReason.TURNING_11_PROXY]}


def test_a_missed_week_is_not_lost_the_next_sweep_looks_back_to_the_last_one(practice):
    sweep.generate(practice, week_starting=WEEK)
    two_weeks = WEEK + datetime.timedelta(days=14)
    make(practice, "Gapcode", born=D(2010, 3, 18), proxy_access=True)  # 16 in the missed week
    coded = make(practice, "Gapflag")
    flag(
        coded, FlagKind.SAFEGUARDING_ADULT, imported=WEEK + datetime.timedelta(days=2), code="2", term="Adult"
    )
    found, _ = sweep.generate(practice, week_starting=two_weeks)
    assert (found.looks_back_from, found.birthdays_from) == (WEEK, WEEK + datetime.timedelta(days=7))
    assert set(reasons(found)) == {"Gapcode", "Gapflag"}


def test_generation_is_idempotent_per_practice_per_week(practice, other_practice):
    make(practice, "Newcomer", registered_on=BEFORE)
    first, created = sweep.generate(practice, week_starting=WEEK)
    again, created_again = sweep.generate(practice, week_starting=WEEK)
    assert created and not created_again and first.pk == again.pk
    assert SweepEntry.objects.filter(sweep=first).count() == 1
    # The periodic task, run twice on any day of the week, makes one sweep per practice.
    assert generate_weekly_sweeps in PERIODIC_TASKS
    assert sweep.generate_due(WEEK + datetime.timedelta(days=3)) == 1  # the other practice's
    assert sweep.generate_due(WEEK + datetime.timedelta(days=6)) == 0
    assert Sweep.objects.filter(week_starting=WEEK).count() == 2
    with pytest.raises(sweep.SweepError):
        sweep.generate(practice, week_starting=WEEK + datetime.timedelta(days=1))


def test_outcomes_need_a_note_for_action_and_sign_off_needs_every_patient_looked_at(practice):
    make(practice, "Alpha", registered_on=BEFORE)
    make(practice, "Beta", registered_on=BEFORE)
    found, _ = sweep.generate(practice, week_starting=WEEK)
    alpha, beta = found.entries.order_by("patient__family_name")
    user = factories.staff(practice, "reviewer")
    args = {"actor": ACTOR, "practice": practice, "sweep_id": found.pk, "user": user}
    with pytest.raises(sweep.SweepError, match="Say which flag"):
        sweep.record_outcome(**args, entry_id=alpha.pk, outcome=SweepOutcome.FLAG_ADDED, note=" ")
    sweep.record_outcome(**args, entry_id=alpha.pk, outcome=SweepOutcome.PASSED_TO_CLINICIAN, note="Dr Shah")
    with pytest.raises(sweep.SweepError, match="1 patient has no outcome yet"):
        sweep.sign_off(actor=ACTOR, practice=practice, sweep_id=found.pk, user=user)
    sweep.record_outcome(**args, entry_id=beta.pk, outcome=SweepOutcome.NO_ACTION, note="")
    signed = sweep.sign_off(actor=ACTOR, practice=practice, sweep_id=found.pk, user=user)
    assert signed.signed_off_name == user.username and signed.signed_off_by == user
    # Signed: kept as evidence, nothing changes it.
    with pytest.raises(sweep.SweepError, match="signed off"):
        sweep.record_outcome(**args, entry_id=beta.pk, outcome=SweepOutcome.FLAG_ADDED, note="104")
    with pytest.raises(sweep.SweepError, match="signed off"):
        sweep.sign_off(actor=ACTOR, practice=practice, sweep_id=found.pk, user=user)
    [record] = sweep.sweep_record(practice)
    assert record == sweep.SweepSummary(
        week_starting=WEEK,
        patients=2,
        by_outcome={"Passed to a clinician": 1, "No action needed": 1},
        signed_off_by=user.username,
        signed_off_at=signed.signed_off_at,
    )


def test_an_empty_sweep_can_be_signed_off(practice):
    found, _ = sweep.generate(practice, week_starting=WEEK)
    assert (
        sweep.sign_off(actor=ACTOR, practice=practice, sweep_id=found.pk, user=None).signed_off_name
        == "tests"
    )


def test_overdue_a_week_after_its_week_started_or_when_weeks_go_missing(practice):
    assert sweep.overdue(practice, today=WEEK) == 0  # never had one: the task makes the first
    found, _ = sweep.generate(practice, week_starting=WEEK)
    assert sweep.overdue(practice, today=WEEK + datetime.timedelta(days=6)) == 0
    assert sweep.overdue(practice, today=WEEK + datetime.timedelta(days=7)) == 1
    sweep.sign_off(actor=ACTOR, practice=practice, sweep_id=found.pk, user=None)
    assert sweep.overdue(practice, today=WEEK + datetime.timedelta(days=13)) == 0
    assert sweep.overdue(practice, today=WEEK + datetime.timedelta(days=14)) == 1  # no sweep for two weeks
