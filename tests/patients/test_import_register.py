"""The register import, fed files written the way EMIS Web and SystmOne write them."""

import csv
import datetime
import io
import json
import os
import random
import stat
import string
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from recordaccess.audit.models import AuditEntry
from recordaccess.patients.models import Patient, RegisterImport

pytestmark = pytest.mark.django_db

EMIS_HEADER = "NHS Number,Forename,Surname,Date of Birth,Sex,Address Line 1,Town,Postcode,Mobile Telephone,Email Address"
ZOE = '943 476 5919,Zoë,Ní Bhriain,01/02/1980,F,"Flat 2, 1 High Street",Leeds,ls14ap,+44 7700 900123,zoe@example.com'
SIOBHAN = "4010232137,Siobhán,O'Neill,1975-06-30,F,3 Mill Lane,Otley,LS21 1AA,07700 900456,"
SAM = "9990000018,Sam,Smith,01-Feb-1999,M,,,,,"


def export(tmp_path, lines, *, name="register.csv", encoding="utf-8-sig", newline="\r\n") -> str:
    path = tmp_path / name
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return str(path)


def run(path, *args, practice="A81001"):
    out = io.StringIO()
    call_command("import_register", path, "--practice", practice, "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def report_of(tmp_path, path, *args):
    report = tmp_path / "report.csv"
    summary = run(path, "--report", str(report), *args)
    with report.open(encoding="utf-8") as stream:
        return summary, list(csv.DictReader(stream))


def test_an_emis_export_with_bom_crlf_and_quoted_commas_is_imported(practice, tmp_path):
    summary = run(export(tmp_path, [EMIS_HEADER, ZOE, SIOBHAN, SAM]))
    assert summary == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0, "rejected": 0, "warnings": 0}
    zoe = Patient.objects.get(nhs_number="9434765919")
    assert (zoe.given_name, zoe.family_name) == ("Zoë", "Ní Bhriain")
    assert zoe.address_line_1 == "Flat 2, 1 High Street"
    assert zoe.postcode == "LS1 4AP"
    assert zoe.mobile == "07700900123"
    assert zoe.date_of_birth == datetime.date(1980, 2, 1)
    assert zoe.family_key == "ni bhriain"
    assert Patient.objects.get(nhs_number="9990000018").date_of_birth == datetime.date(1999, 2, 1)


def test_a_windows_1252_export_keeps_its_accented_names(practice, tmp_path):
    run(export(tmp_path, [EMIS_HEADER, ZOE, SIOBHAN], encoding="cp1252"))
    assert set(Patient.objects.values_list("given_name", flat=True)) == {"Zoë", "Siobhán"}


def test_a_tab_separated_utf16_export_from_excel_is_imported(practice, tmp_path):
    lines = [line.replace(",", "\t") for line in (EMIS_HEADER, SIOBHAN, SAM)]
    assert run(export(tmp_path, lines, encoding="utf-16", newline="\n"))["created"] == 2


def test_a_systmone_export_with_its_own_header_names_and_lf_is_imported(practice, tmp_path):
    header = "nhs number\tFirst name\tFamily name\tDOB\tGender\tPost Code\tMobile number\tEmail address"
    row = "401 023 2137\tSiobhán\tO'Neill\t30/06/1975\tFemale\tls21 1aa\t447700900456\tsiobhan@example.com"
    assert run(export(tmp_path, [header, row], encoding="utf-8", newline="\n"))["created"] == 1
    patient = Patient.objects.get()
    assert (patient.postcode, patient.mobile, patient.sex) == ("LS21 1AA", "07700900456", "female")


def test_a_mapping_file_names_columns_we_do_not_recognise(practice, tmp_path):
    path = export(tmp_path, ["Patient No,Last,Born,Given", "9434765919,Smith,01/02/1980,Zoë"])
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[columns]\nnhs_number = "Patient No"\nfamily_name = "Last"\ndate_of_birth = "Born"\n')
    assert run(path, "--mapping", str(mapping))["created"] == 1


@pytest.mark.parametrize(
    ("line", "column", "problem"),
    [
        (",Smith,Sam,01/02/1980", "NHS Number", "NHS number is missing"),
        ("9434765918,Smith,Sam,01/02/1980", "NHS Number", "NHS number is not valid"),
        ("943476591,Smith,Sam,01/02/1980", "NHS Number", "NHS number is not valid"),
        ("9434765919,,Sam,01/02/1980", "Surname", "Surname is missing"),
        ("9434765919,Smith,Sam,", "Date of Birth", "Date of birth is missing"),
        ("9434765919,Smith,Sam,next tuesday", "Date of Birth", "Date of birth is not a date we recognise"),
        ("9434765919,Smith,Sam,31/02/1980", "Date of Birth", "Date of birth is not a real date"),
        ("9434765919,Smith,Sam,01/01/2999", "Date of Birth", "Date of birth is in the future"),
    ],
)
def test_each_unusable_row_is_rejected_with_its_spreadsheet_row_number(
    practice, tmp_path, line, column, problem
):
    path = export(tmp_path, ["NHS Number,Surname,Forename,Date of Birth", SAM_SHORT, line])
    summary, report = report_of(tmp_path, path)
    assert summary["rejected"] == 1 and summary["created"] == 1
    assert report[0]["row"] == "3"
    assert report[0]["column"] == column
    assert report[0]["problem"].startswith(problem)
    assert report[0]["severity"] == "rejected"


SAM_SHORT = "9990000018,Smith,Sam,01/02/1999"


def test_a_second_row_with_the_same_nhs_number_is_rejected_and_the_first_kept(practice, tmp_path):
    path = export(tmp_path, [EMIS_HEADER, ZOE, ZOE.replace("Zoë", "Zoe2")])
    summary, report = report_of(tmp_path, path)
    assert summary["created"] == 1 and summary["rejected"] == 1
    assert Patient.objects.get().given_name == "Zoë"
    assert report[0]["row"] == "3" and report[0]["problem"].startswith("Duplicate")


@pytest.mark.parametrize(
    ("mobile", "email", "postcode", "column", "problem"),
    [
        ("0113 496 0000", "", "LS1 4AP", "Mobile Telephone", "Not a UK mobile number"),
        ("07700 9001", "", "LS1 4AP", "Mobile Telephone", "Mobile number has too few digits"),
        ("", "zoe@example", "LS1 4AP", "Email Address", "Not a valid email address"),
        ("", "", "LS1", "Postcode", "Not a valid UK postcode"),
    ],
)
def test_a_bad_contact_detail_is_left_out_with_a_warning(
    practice, tmp_path, mobile, email, postcode, column, problem
):
    line = f"9434765919,Zoë,Smith,01/02/1980,F,,Leeds,{postcode},{mobile},{email}"
    summary, report = report_of(tmp_path, export(tmp_path, [EMIS_HEADER, line]))
    assert summary["created"] == 1 and summary["warnings"] == 1
    [warning] = report
    assert (warning["row"], warning["column"], warning["value"]) == ("2", column, mobile or email or postcode)
    assert warning["problem"].startswith(problem) and warning["problem"].endswith("imported without it")
    assert warning["severity"] == "warning"
    patient = Patient.objects.get()
    assert (patient.mobile, patient.email, patient.postcode) == (
        "",
        "",
        "LS1 4AP" if postcode == "LS1 4AP" else "",
    )


def test_row_numbers_count_records_as_a_spreadsheet_shows_them(practice, tmp_path):
    multi_line = '9434765919,Zoë,Smith,01/02/1980,F,"Flat 2\nHigh Street",Leeds,LS1 4AP,,'
    bad = "9434765918,Sam,Jones,01/02/1980,M,,,,,"
    _, report = report_of(tmp_path, export(tmp_path, [EMIS_HEADER, multi_line, bad]))
    assert report[0]["row"] == "3"


def test_importing_the_same_file_twice_changes_nothing_the_second_time(practice, tmp_path):
    path = export(tmp_path, [EMIS_HEADER, ZOE, SIOBHAN, SAM])
    run(path)
    before = list(Patient.objects.order_by("pk").values())
    assert run(path) == {"rows": 3, "created": 0, "updated": 0, "unchanged": 3, "rejected": 0, "warnings": 0}
    assert list(Patient.objects.order_by("pk").values()) == before


def test_a_changed_row_updates_the_patient(practice, tmp_path):
    run(export(tmp_path, [EMIS_HEADER, ZOE, SAM]))
    summary = run(export(tmp_path, [EMIS_HEADER, ZOE.replace("ls14ap", "LS2 7EQ"), SAM], name="second.csv"))
    assert (summary["updated"], summary["unchanged"]) == (1, 1)
    assert Patient.objects.get(nhs_number="9434765919").postcode == "LS2 7EQ"


def test_a_full_register_marks_patients_missing_from_it_as_left_and_never_deletes(practice, tmp_path):
    run(export(tmp_path, [EMIS_HEADER, ZOE, SIOBHAN, SAM]))
    summary = run(export(tmp_path, [EMIS_HEADER, ZOE, SAM], name="full.csv"), "--full")
    assert summary["left"] == 1
    siobhan = Patient.objects.get(nhs_number="4010232137")
    assert siobhan.status == "left" and siobhan.left_on == datetime.date.today()
    assert Patient.objects.count() == 3
    again = run(export(tmp_path, [EMIS_HEADER, ZOE, SIOBHAN, SAM], name="back.csv"), "--full")
    assert (again["updated"], again["left"]) == (1, 0)
    assert Patient.objects.get(nhs_number="4010232137").status == "registered"


def test_a_rejected_row_in_a_full_register_does_not_make_that_patient_leave(practice, tmp_path):
    run(export(tmp_path, [EMIS_HEADER, ZOE]))
    bad_date = ZOE.replace("01/02/1980", "31/02/1980")
    assert run(export(tmp_path, [EMIS_HEADER, bad_date], name="full.csv"), "--full")["left"] == 0
    assert Patient.objects.get().status == "registered"


def test_a_dry_run_counts_but_changes_nothing(practice, tmp_path):
    summary = run(export(tmp_path, [EMIS_HEADER, ZOE, SAM]), "--dry-run")
    assert summary["created"] == 2
    assert not Patient.objects.exists()


def test_a_failure_part_way_keeps_earlier_batches_and_a_rerun_completes(practice, tmp_path, monkeypatch):
    from recordaccess.patients import importer

    monkeypatch.setattr(importer, "BATCH_SIZE", 2)
    rows = [EMIS_HEADER, ZOE, SIOBHAN, SAM, "9990000026,Ann,Other,02/03/1970,F,,,,,"]
    path = export(tmp_path, rows)
    with connection.cursor() as cursor:  # the database refuses one row of the second batch
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_sam() RETURNS trigger AS $$ BEGIN IF NEW.nhs_number = '9990000018' THEN "
                "RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END; $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_sam BEFORE INSERT ON patients_patient FOR EACH ROW EXECUTE FUNCTION refuse_sam()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER refuse_sam BEFORE INSERT ON patients_patient WHEN NEW.nhs_number = '9990000018' "
                "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
            )
    with pytest.raises(CommandError, match="Stopped at row 4") as failure:
        run(path)
    assert failure.value.returncode == 1
    assert set(Patient.objects.values_list("nhs_number", flat=True)) == {"9434765919", "4010232137"}
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER refuse_sam" + (" ON patients_patient" if connection.vendor == "postgresql" else "")
        )
    summary = run(path)
    assert (summary["created"], summary["unchanged"]) == (2, 2)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV file"),
        (b"Forename,Surname,Date of Birth\r\nZoe,Smith,01/02/1980\r\n", "No NHS number column"),
        (b"NHS Number,Forename\r\n9434765919,Zoe\r\n", "Missing required columns: Surname, Date of birth"),
        (
            b"NHS Number,Surname,Date of Birth\r\n9434765919,Sm\x81th,01/02/1980\r\n",
            "encoding is not one we know",
        ),
        (b"just some text\n", "does not look like a CSV export"),
    ],
)
def test_a_file_that_cannot_be_used_stops_with_exit_2_and_a_clear_message(
    practice, tmp_path, content, message
):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message) as failure:
        run(str(path))
    assert failure.value.returncode == 2
    assert not Patient.objects.exists()


def test_an_unknown_practice_stops_with_exit_2(tmp_path):
    with pytest.raises(CommandError, match="No practice") as failure:
        run(export(tmp_path, [EMIS_HEADER, ZOE]), practice="Z99999")
    assert failure.value.returncode == 2


def test_each_import_is_audited_with_its_figures(practice, tmp_path):
    run(export(tmp_path, [EMIS_HEADER, ZOE]))
    detail = json.loads(AuditEntry.objects.get(action="register.import").detail)
    assert detail["created"] == 1 and detail["file"] == "register.csv"


def test_another_practices_patient_with_the_same_nhs_number_is_a_separate_record(
    practice, other_practice, tmp_path
):
    path = export(tmp_path, [EMIS_HEADER, ZOE])
    run(path)
    run(path, practice=other_practice.ods_code)
    assert Patient.objects.filter(nhs_number="9434765919").count() == 2


# --- Spreadsheet formulas in the report -------------------------------------------------------------
FORMULAS = ['=HYPERLINK("http://x","y")', "=1+2", "@SUM(A1)", "-2+3", "+1"]


def csv_line(*cells) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def cells_of(report_path) -> list[list[str]]:
    with open(report_path, encoding="utf-8", newline="") as stream:
        return list(csv.reader(stream))


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_formula_in_a_reported_value_is_written_as_text_a_spreadsheet_will_not_run(
    practice, tmp_path, formula
):
    rejected = csv_line(formula, "Smith", "Sam", "01/02/1980")  # NHS number
    bad_date = csv_line("9990000018", "Jones", "Ann", formula)
    bad_sex = "\r\n".join([EMIS_HEADER, csv_line("9434765919", "Zoë", "Smith", "01/02/1980", formula)])
    path = export(tmp_path, ["NHS Number,Surname,Forename,Date of Birth", rejected, bad_date])
    _, report = report_of(tmp_path, path)
    assert [line["value"] for line in report] == ["'" + formula] * 2
    _, report = report_of(tmp_path, export(tmp_path, [bad_sex], name="sex.csv"))
    assert [(line["column"], line["value"]) for line in report] == [("Sex", "'" + formula)]
    for row in cells_of(tmp_path / "report.csv"):
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


@pytest.mark.parametrize("column", ["Surname", "Forename"])
@pytest.mark.parametrize("formula", FORMULAS)
def test_a_name_a_spreadsheet_would_run_is_imported_as_written_with_a_warning(
    practice, tmp_path, formula, column
):
    names = {"Surname": "Smith", "Forename": "Zoë", column: formula}
    line = csv_line("9434765919", names["Forename"], names["Surname"], "01/02/1980")
    summary, report = report_of(
        tmp_path, export(tmp_path, ["NHS Number,Forename,Surname,Date of Birth", line])
    )
    assert (summary["created"], summary["warnings"]) == (1, 1)
    patient = Patient.objects.get()
    assert (patient.given_name, patient.family_name) == (names["Forename"], names["Surname"])
    [warning] = report
    assert (warning["row"], warning["column"], warning["value"], warning["severity"]) == (
        "2",
        column,
        "'" + formula,
        "warning",
    )
    assert "formula" in warning["problem"] and "imported as written" in warning["problem"]


def test_nhs_numbers_and_dates_in_the_report_are_exactly_as_in_the_file(practice, tmp_path):
    path = export(tmp_path, [EMIS_HEADER, ZOE, ZOE, SIOBHAN.replace("1975-06-30", "31/02/1975")])
    _, report = report_of(tmp_path, path)
    assert [line["value"] for line in report] == ["943 476 5919", "31/02/1975"]


# --- Files that are not a register ------------------------------------------------------------------
def garbage_lines(count: int, *, seed: int = 7) -> list[str]:
    """Text that decodes and splits into cells but is no register: what a wrong or corrupt file looks like."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    alphabet = string.ascii_letters + string.digits + " ;:/+"
    return [
        ",".join("".join(rng.choices(alphabet, k=rng.randrange(5, 60))) for _ in range(6))
        for _ in range(count)
    ]


def test_a_valid_header_followed_by_megabytes_of_garbage_is_refused_at_once_as_not_a_register(
    practice, tmp_path
):
    path = export(tmp_path, [EMIS_HEADER, *garbage_lines(15_000)])  # about 3 MB
    assert Path(path).stat().st_size > 2_000_000
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError, match="not a register export") as failure:
        run(path, "--report", str(report))
    assert failure.value.returncode == 2
    assert "first 1,000 rows" in str(failure.value)
    assert not Patient.objects.exists()
    assert RegisterImport.objects.get().status == "unusable"
    assert len(cells_of(report)) <= 1 + 3 * 1_000


def test_one_usable_row_among_the_first_thousand_means_the_file_is_a_register(practice, tmp_path):
    summary = run(export(tmp_path, [EMIS_HEADER, *garbage_lines(999), ZOE, *garbage_lines(500, seed=8)]))
    assert (summary["created"], summary["rejected"]) == (1, 1_499)


def test_a_report_keeps_ten_thousand_problems_then_counts_the_rest_by_problem(practice, tmp_path):
    bad_numbers = ["9434765918,Smith,Sam,01/02/1980"] * 11_000
    no_birth_date = ["9990000018,Smith,Sam,"] * 500
    path = export(tmp_path, ["NHS Number,Surname,Forename,Date of Birth", SAM_SHORT.replace("9990000018", "9434765919"),
                             *bad_numbers, *no_birth_date])  # fmt: skip
    summary, _ = report_of(tmp_path, path)
    assert summary["rejected"] == 11_500
    lines = cells_of(tmp_path / "report.csv")
    assert len(lines) <= 1 + 10_000 + 3
    listed, counted = lines[1:10_001], lines[10_001:]
    assert all(line[0].isdigit() for line in listed)
    assert [(line[0], line[1], line[4]) for line in counted[-2:]] == [
        ("", "NHS Number", "rejected"),
        ("", "Date of Birth", "rejected"),
    ]
    assert counted[-2][3].startswith("NHS number is not valid") and "1,000 more rows" in counted[-2][3]
    assert counted[-1][3].startswith("Date of birth is missing") and "500 more rows" in counted[-1][3]


def test_a_quote_left_open_to_the_end_of_the_file_is_refused_with_exit_2(practice, tmp_path):
    path = export(tmp_path, [EMIS_HEADER, ZOE, '9990000018,Sam,"Smith' + "x" * 200_000])
    with pytest.raises(CommandError, match="Row 3 cannot be read as CSV") as failure:
        run(path)
    assert failure.value.returncode == 2


def test_reports_are_private_to_the_service_whatever_the_umask(practice, tmp_path, settings):
    previous = os.umask(0)
    try:
        run(export(tmp_path, [EMIS_HEADER, ZOE, ZOE]))
    finally:
        os.umask(previous)
    report = Path(RegisterImport.objects.get().report_path)
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    assert stat.S_IMODE(report.parent.stat().st_mode) == 0o700
