"""The coding worklist: codes as CSV for batch entry, and marked entered only for the export staff confirm."""

import csv
import io
import os
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from recordaccess.audit.services import Actor
from recordaccess.practices.roles import Role
from recordaccess.review import coding, decisions
from recordaccess.review.decisions import DecisionInput
from recordaccess.review.models import CodingEntry, Outcome
from tests import factories
from tests.review.conftest import CLEAR, REVIEWER, legacy_no_on_the_list, waiting_request

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def decided(practice, outcome=Outcome.GRANTED, legacy_no=False):
    request = legacy_no_on_the_list(practice) if legacy_no else waiting_request(practice)
    decisions.claim(actor=REVIEWER, request=request)
    decisions.save_checklist(actor=REVIEWER, role=Role.REVIEWER, request=request, answers=CLEAR)
    given = DecisionInput(
        outcome=outcome,
        nhs_number=request.patient.nhs_number,
        access_level="prospective" if outcome == Outcome.GRANTED else "",
        access_from=TODAY if outcome == Outcome.GRANTED else None,
        reason="Serious harm" if outcome == Outcome.DECLINED else "",
    )
    return decisions.decide(actor=REVIEWER, role=Role.REVIEWER, request=request, given=given)


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_export_lists_each_code_once_and_confirming_marks_only_what_it_held(practice):
    first = decided(practice)
    second = decided(practice, Outcome.DECLINED)
    batch, text = coding.export(actor=Actor.system("t"), practice=practice)
    assert rows(text) == [
        ["NHS number", "SNOMED CT code", "Term", "Date"],
        [
            first.patient.nhs_number,
            "1364751000000106",
            "Enhanced review not indicated before granting access to own health record",
            TODAY.strftime("%d/%m/%Y"),
        ],
        [
            second.patient.nhs_number,
            "1364731000000104",
            "Enhanced review indicated before granting access to own health record",
            TODAY.strftime("%d/%m/%Y"),
        ],
    ]
    late = decided(practice, Outcome.PATIENT_DECLINED, legacy_no=True)  # decided after the download
    assert coding.confirm(actor=Actor.system("t"), practice=practice, export_id=batch.pk) == 2
    assert [e.decision_id for e in coding.worklist(practice)] == [late.pk]
    with pytest.raises(coding.CodingError, match="confirmed by t already"):
        coding.confirm(actor=Actor.system("t"), practice=practice, export_id=batch.pk)


def test_the_command_writes_the_csv_and_confirms_an_export(practice, other_practice, tmp_path, capsys):
    decided(practice)
    out = tmp_path / "codes.csv"
    call_command("export_coding", "--practice", "a81001", "--output", str(out))
    assert rows(out.read_text())[1][1] == "1364751000000106"
    export_id = CodingEntry.objects.get().export_id
    assert f"--confirm {export_id}" in capsys.readouterr().err
    call_command("export_coding", "--practice", "A81001")
    assert rows(capsys.readouterr().out)[1][1] == "1364751000000106"  # not entered yet: exported again
    export_id = CodingEntry.objects.get().export_id
    with pytest.raises(CommandError, match="no coding export"):
        call_command("export_coding", "--practice", "B82002", "--confirm", str(export_id))
    call_command("export_coding", "--practice", "A81001", "--confirm", str(export_id))
    assert CodingEntry.objects.get().coded_at is not None
    with pytest.raises(CommandError, match="No practice with ODS code"):
        call_command("export_coding", "--practice", "Z99999")


def test_staff_download_the_csv_and_confirm_from_the_worklist_page(client, practice):
    decided(practice)
    factories.sign_in(client, factories.staff(practice, Role.RECEPTION))
    url = reverse("staff:coding", kwargs={"ods": "A81001"})
    page = client.get(url).content.decode()
    assert "1 code to enter" in page and "1364751000000106" in page
    download = client.post(reverse("staff:coding_export", kwargs={"ods": "A81001"}))
    assert download["Content-Type"].startswith("text/csv") and "attachment" in download["Content-Disposition"]
    assert rows(download.content.decode())[1][1] == "1364751000000106"
    export_id = CodingEntry.objects.get().export_id
    done = client.post(
        reverse("staff:coding_confirm", kwargs={"ods": "A81001", "export_id": export_id}), follow=True
    ).content.decode()
    assert "1 code marked as entered" in done and "Nothing to enter." in done


def test_a_term_a_spreadsheet_would_run_is_neutralised_and_numbers_codes_and_dates_are_unchanged(practice):
    """The terms come from the code list, but a cell that can hold text is written as text all the same."""
    first = decided(practice)
    CodingEntry.objects.update(term='=HYPERLINK("http://x","y")')
    _, text = coding.export(actor=Actor.system("t"), practice=practice)
    assert rows(text)[1] == [
        first.patient.nhs_number,
        "1364751000000106",
        '\'=HYPERLINK("http://x","y")',
        TODAY.strftime("%d/%m/%Y"),
    ]
    assert all(line.startswith('"') for line in text.splitlines())


def test_the_commands_csv_file_is_readable_only_by_the_service(practice, tmp_path):
    decided(practice)
    out = tmp_path / "codes.csv"
    previous = os.umask(0)
    try:
        call_command("export_coding", "--practice", "A81001", "--output", str(out))
    finally:
        os.umask(previous)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
