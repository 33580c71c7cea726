import csv
import datetime
import io
import json
import os
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from recordaccess.patients.flags import (
    CODE_LIST,
    access_status_from,
    needs_enhanced_review,
    standard_code_list,
)
from recordaccess.patients.models import AccessStatus, Flag, FlagKind, Patient

pytestmark = pytest.mark.django_db

REVIEW, NOT_INDICATED, DECLINED = "1364731000000104", "1364751000000106", "1290331000000103"


@pytest.fixture
def patients(practice):
    people = [("9434765919", "Zoë"), ("4010232137", "Siobhán"), ("9990000018", "Sam")]
    return {
        number: Patient.objects.create(
            practice=practice,
            nhs_number=number,
            given_name=name,
            family_name="Smith",
            date_of_birth=datetime.date(1980, 2, 1),
        )
        for number, name in people
    }


def flags_file(tmp_path, rows, header="NHS Number,SNOMED Code,Date"):
    path = tmp_path / "flags.csv"
    path.write_text("\r\n".join([header, *rows]) + "\r\n", encoding="utf-8-sig")
    return str(path)


def run(path, *args, practice="A81001"):
    out = io.StringIO()
    call_command("import_flags", path, "--practice", practice, "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_every_shipped_code_has_a_kind_we_act_on():
    codes = standard_code_list()
    assert {REVIEW, NOT_INDICATED, DECLINED, "417430008", "836881000000105"} <= codes.keys()
    assert {entry.kind for entry in codes.values()} <= set(FlagKind.values)


def test_flags_are_recorded_against_patients_with_their_kind_and_term(patients, tmp_path):
    path = flags_file(
        tmp_path,
        [
            f"943 476 5919,{REVIEW},01/03/2023",
            "4010232137,204211000000109,",
            "9990000018,957351000000102,2024-01-05",
        ],
    )
    summary = run(path)
    summary.pop("patients_by_kind")
    assert summary == {"rows": 3, "added": 3, "unchanged": 0, "rejected": 0, "warnings": 0, "kept_ended": 0}
    zoe = Flag.objects.get(patient__nhs_number="9434765919")
    assert (zoe.kind, zoe.recorded_on) == (FlagKind.ENHANCED_REVIEW, datetime.date(2023, 3, 1))
    assert Flag.objects.get(patient__nhs_number="4010232137").term == "Urdu language interpreter needed"
    assert Flag.objects.get(patient__nhs_number="9990000018").kind == FlagKind.LARGE_PRINT


def test_importing_the_same_flags_twice_adds_nothing(patients, tmp_path):
    path = flags_file(tmp_path, [f"9434765919,{REVIEW},01/03/2023", "4010232137,204211000000109,"])
    run(path)
    assert run(path)["unchanged"] == 2
    assert Flag.objects.count() == 2


def test_unknown_codes_and_patients_are_reported_not_guessed(patients, tmp_path):
    path = flags_file(tmp_path, ["9434765919,123456789,", "9434765918,417430008,", "9999999999,417430008,"])
    report = tmp_path / "report.csv"
    summary = run(path, "--report", str(report))
    assert summary["rejected"] == 3 and summary["added"] == 0
    problems = [row["problem"] for row in csv.DictReader(report.open(encoding="utf-8"))]
    assert problems[0].startswith("Code not in the flag code list")
    assert problems[1] == "NHS number is not valid"
    assert problems[2] == "No patient with this NHS number on the practice's register"


def test_a_practice_adds_its_own_codes(patients, tmp_path):
    extra = tmp_path / "ours.csv"
    extra.write_text(
        "code,term,kind,source\n999000123,Local: domestic abuse disclosed,domestic_abuse,Our practice\n"
    )
    assert run(flags_file(tmp_path, ["9434765919,999000123,"]), "--codes", str(extra))["added"] == 1
    assert Flag.objects.get().kind == FlagKind.DOMESTIC_ABUSE


def test_a_bad_date_keeps_the_flag_without_it(patients, tmp_path):
    summary = run(flags_file(tmp_path, [f"9434765919,{REVIEW},31/02/2023"]))
    assert (summary["added"], summary["warnings"]) == (1, 1)
    assert Flag.objects.get().recorded_on is None


def test_a_file_without_a_code_column_cannot_be_used(patients, tmp_path):
    with pytest.raises(CommandError, match="Missing required columns: SNOMED CT code") as failure:
        run(flags_file(tmp_path, ["9434765919,x"], header="NHS Number,Something"))
    assert failure.value.returncode == 2


def test_a_104_puts_the_patient_under_enhanced_review_and_a_later_106_lifts_it(patients, tmp_path):
    run(flags_file(tmp_path, [f"9434765919,{REVIEW},01/03/2023"]))
    assert Patient.objects.get(nhs_number="9434765919").access_status == AccessStatus.ENHANCED_REVIEW
    run(flags_file(tmp_path, [f"9434765919,{NOT_INDICATED},01/06/2023"]))
    assert Patient.objects.get(nhs_number="9434765919").access_status == AccessStatus.NOT_DECIDED


def test_a_104_does_not_take_away_access_a_patient_already_has(patients, tmp_path):
    Patient.objects.filter(nhs_number="9434765919").update(access_status=AccessStatus.ACCESS_ON)
    run(flags_file(tmp_path, [f"9434765919,{REVIEW},01/03/2023"]))
    patient = Patient.objects.get(nhs_number="9434765919")
    assert patient.access_status == AccessStatus.ACCESS_ON
    assert patient.flags.filter(kind=FlagKind.ENHANCED_REVIEW).exists()


@pytest.mark.parametrize(
    ("flags", "status"),
    [
        ([], None),
        ([("enhanced_review", None)], "enhanced_review"),
        (
            [
                ("enhanced_review", datetime.date(2023, 3, 1)),
                ("review_not_indicated", datetime.date(2023, 3, 1)),
            ],
            "enhanced_review",
        ),
        (
            [
                ("enhanced_review", datetime.date(2023, 3, 1)),
                ("review_not_indicated", datetime.date(2023, 3, 2)),
            ],
            "not_decided",
        ),
        ([("enhanced_review", datetime.date(2023, 3, 1)), ("review_not_indicated", None)], "enhanced_review"),
        # An undated 104 cannot be put before the 106: doubt means review (H47).
        ([("enhanced_review", None), ("review_not_indicated", datetime.date(2023, 3, 2))], "enhanced_review"),
        (
            [
                ("review_not_indicated", datetime.date(2023, 3, 1)),
                ("enhanced_review", datetime.date(2024, 3, 1)),
            ],
            "enhanced_review",
        ),
        ([("enhanced_review", None), ("review_not_indicated", None)], "enhanced_review"),
        ([("access_declined", None), ("review_not_indicated", None)], "declined"),
    ],
)
def test_access_status_follows_the_codes_and_doubt_means_review(flags, status):
    assert access_status_from(flags) == status


def test_a_code_a_spreadsheet_would_run_is_reported_as_text(patients, tmp_path):
    path = flags_file(
        tmp_path, ['9434765919,"=HYPERLINK(""http://x"",""y"")",', "9434765919,-2+3,01/02/2020"]
    )
    report = tmp_path / "report.csv"
    run(path, "--report", str(report))
    values = [row["value"] for row in csv.DictReader(report.open(encoding="utf-8"))]
    assert values == ['\'=HYPERLINK("http://x","y")', "'-2+3"]


def test_a_flags_file_whose_first_thousand_rows_are_all_unusable_is_refused(patients, tmp_path):
    path = flags_file(tmp_path, [f"garbage {n},nothing,at all" for n in range(1_500)])
    with pytest.raises(CommandError, match="not a flags export") as failure:
        run(path)
    assert failure.value.returncode == 2
    assert not Flag.objects.exists()


def test_the_flags_report_is_readable_only_by_the_service(patients, tmp_path, settings):
    previous = os.umask(0)
    try:
        run(flags_file(tmp_path, ["9434765918,417430008,"]))
    finally:
        os.umask(previous)
    [report] = (settings.VAR_DIR / "imports").iterdir()
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    assert stat.S_IMODE(report.parent.stat().st_mode) == 0o700


@pytest.mark.parametrize(
    ("flags", "needed"),
    [
        ([], False),
        ([("large_print", None)], False),
        ([("safeguarding_adult", None), ("review_not_indicated", datetime.date(2024, 1, 1))], True),
        ([("domestic_abuse", datetime.date(2020, 1, 1))], True),
        (
            [
                ("enhanced_review", datetime.date(2023, 1, 1)),
                ("review_not_indicated", datetime.date(2023, 1, 2)),
            ],
            False,
        ),
        (
            [
                ("review_not_indicated", datetime.date(2023, 1, 1)),
                ("enhanced_review", datetime.date(2024, 1, 1)),
            ],
            True,
        ),
        (
            [
                ("enhanced_review", datetime.date(2023, 1, 1)),
                ("review_not_indicated", datetime.date(2023, 1, 1)),
            ],
            True,
        ),
        ([("enhanced_review", None), ("review_not_indicated", datetime.date(2023, 1, 2))], True),
        ([("enhanced_review", datetime.date(2023, 1, 1)), ("review_not_indicated", None)], True),
        (
            [
                ("enhanced_review", datetime.date(2022, 1, 1)),
                ("review_not_indicated", datetime.date(2023, 1, 1)),
                ("enhanced_review", datetime.date(2024, 1, 1)),
                ("review_not_indicated", datetime.date(2025, 1, 1)),
            ],
            False,
        ),
    ],
)
def test_a_patient_needs_enhanced_review_by_their_codes_in_date_order_and_doubt_means_review(flags, needed):
    """H47: the one answer the waiting list, decisions, campaigns and cohorts all use."""
    assert needs_enhanced_review(flags) is needed


def test_the_shipped_list_has_sourced_domestic_abuse_codes():
    """H50: no domestic-abuse codes, though coercion by a partner is a main risk of opening a record online."""
    codes = standard_code_list()
    abuse = {code for code, entry in codes.items() if entry.kind == FlagKind.DOMESTIC_ABUSE}
    assert {"205171000000107", "758941000000108"} <= abuse
    with CODE_LIST.open(encoding="utf-8") as stream:
        sources = {row["code"]: row["source"] for row in csv.DictReader(stream)}
    assert all(sources[code].strip() for code in abuse)


def test_each_import_says_how_many_patients_it_flagged_of_each_kind(patients, tmp_path):
    """H50: a practice sees at once when a kind it expects (domestic abuse) came back empty."""
    path = flags_file(
        tmp_path,
        [
            f"9434765919,{REVIEW},01/03/2023",
            f"9434765919,{NOT_INDICATED},01/04/2023",
            f"4010232137,{REVIEW},",
        ],
    )
    summary = run(path)
    assert summary["patients_by_kind"]["enhanced_review"] == 2
    assert summary["patients_by_kind"]["review_not_indicated"] == 1
    assert summary["patients_by_kind"]["domestic_abuse"] == 0
    out = io.StringIO()
    call_command("import_flags", path, "--practice", "A81001", stdout=out)
    assert "Domestic abuse: 0 patients" in out.getvalue()
    assert "Enhanced review needed before access: 2 patients" in out.getvalue()
