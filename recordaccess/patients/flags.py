"""Flags from a clinical-system search: NHS number + SNOMED CT code (+ date) rows, recorded against patients.

The code list (codes/flag_codes.csv) says which kind of flag each code is; codes not in it are reported, never
guessed. After an import, each affected patient's access status follows their codes: 103 means declined, and a
104 not overridden by a later 106 means enhanced review before access (needs_enhanced_review).
"""

import csv
import datetime
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import ClassVar, TextIO

from django.db import transaction
from django.dispatch import Signal

from recordaccess.core import nhs_number
from recordaccess.patients.importer import ReportWriter
from recordaccess.patients.models import SAFEGUARDING_KINDS, AccessStatus, Flag, FlagKind, Patient
from recordaccess.patients.register import REJECTED, WARNING, Problem, RegisterFile, UnusableFile, parse_date

CODE_LIST = Path(__file__).parent / "codes" / "flag_codes.csv"
# Sent with patient_ids whenever patients' flags change, so apps above (the waiting list) can follow them.
flags_changed = Signal()
BATCH_SIZE = 2000


@dataclass(frozen=True)
class CodeEntry:
    code: str
    term: str
    kind: str


def read_code_list(path: Path) -> dict[str, CodeEntry]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            rows = list(csv.DictReader(stream))
    except OSError as error:
        raise UnusableFile(f"Cannot read the code list {path}: {error.strerror or error}") from error
    entries = {}
    for number, row in enumerate(rows, start=2):
        code, term, kind = (row.get(k, "").strip() for k in ("code", "term", "kind"))
        if not code.isdigit() or kind not in FlagKind.values or not term:
            raise UnusableFile(
                f"Row {number} of the code list {path.name} needs a numeric code, a term and one of these kinds: "
                f"{', '.join(FlagKind.values)}."
            )
        entries[code] = CodeEntry(code, term, kind)
    return entries


@cache
def standard_code_list() -> dict[str, CodeEntry]:
    return read_code_list(CODE_LIST)


class FlagFile(RegisterFile):
    header_names: ClassVar = {
        "nhs_number": ("nhs number", "nhs no", "nhs", "patient nhs number"),
        "code": (
            "snomed code",
            "snomed ct code",
            "snomed",
            "code",
            "snomed ct concept id",
            "concept id",
            "clinical code",
        ),
        "date": ("date", "effective date", "date recorded", "event date", "recorded date", "code date"),
    }
    required: ClassVar = ("nhs_number", "code")
    labels: ClassVar = {"nhs_number": "NHS number", "code": "SNOMED CT code", "date": "Date"}


@dataclass
class FlagSummary:
    rows: int = 0
    added: int = 0
    unchanged: int = 0
    rejected: int = 0
    warnings: int = 0
    kept_ended: int = (
        0  # codes for flags staff ended on the page, dated no later than the ending: not restored
    )
    # How many patients the file flagged with each kind the code list knows, zeros included: a kind the
    # practice expects coming back empty (a search that missed its codes) shows at once.
    patients_by_kind: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def _rows(flag_file: FlagFile, codes: dict[str, CodeEntry], patients: dict[str, int], summary, writer):
    columns = flag_file.columns
    headers = [h.strip().lstrip("\ufeff") for h in flag_file.headers]

    def cell(cells, name):
        index = columns.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    for row, cells, _ in flag_file.records():
        summary.rows += 1
        raw_number, code, raw_date = cell(cells, "nhs_number"), cell(cells, "code"), cell(cells, "date")
        number = nhs_number.normalise(raw_number)
        problems = []
        if not nhs_number.is_valid(number):
            problems.append(
                Problem(row, headers[columns["nhs_number"]], raw_number, "NHS number is not valid", REJECTED)
            )
        elif number not in patients:
            problems.append(
                Problem(
                    row,
                    headers[columns["nhs_number"]],
                    raw_number,
                    "No patient with this NHS number on the practice's register",
                    REJECTED,
                )
            )
        entry = codes.get(code)
        if entry is None:
            problems.append(
                Problem(
                    row,
                    headers[columns["code"]],
                    code,
                    "Code not in the flag code list: not recorded (see patients/codes/README.md)",
                    REJECTED,
                )
            )
        if problems:
            summary.rejected += 1
            writer.write(problems)
            writer.refuse_if_all_unusable(rows=summary.rows, rejected=summary.rejected, kind="flags")
            continue
        recorded_on = None
        if raw_date:
            try:
                recorded_on = parse_date(raw_date)
            except ValueError as error:
                writer.write(
                    [
                        Problem(
                            row,
                            headers[columns["date"]],
                            raw_date,
                            f"Date {error}: recorded without it",
                            WARNING,
                        )
                    ]
                )
                summary.warnings += 1
        yield patients[number], entry, recorded_on


def import_flags(
    *, practice, path: str | Path, extra_codes: str | Path | None = None, report: TextIO | None = None
) -> FlagSummary:
    codes = dict(standard_code_list())
    if extra_codes:
        codes.update(read_code_list(Path(extra_codes)))
    flag_file = FlagFile.open(path)
    patients = dict(
        Patient.objects.filter(practice=practice).values_list("nhs_number", "pk").iterator(chunk_size=10_000)
    )
    summary = FlagSummary()
    writer = ReportWriter(report)
    batch: list[tuple[int, CodeEntry, object]] = []
    touched: set[int] = set()
    flagged: dict[str, set[int]] = {entry.kind: set() for entry in codes.values()}
    for item in _rows(flag_file, codes, patients, summary, writer):
        flagged[item[1].kind].add(item[0])
        batch.append(item)
        if len(batch) >= BATCH_SIZE:
            _write(batch, summary, touched)
            batch = []
    _write(batch, summary, touched)
    writer.close()
    summary.patients_by_kind = {kind: len(flagged[kind]) for kind in FlagKind.values if kind in flagged}
    update_access_status(touched)
    flags_changed.send(sender=Flag, patient_ids=touched)
    return summary


def _write(batch, summary: FlagSummary, touched: set[int]) -> None:
    if not batch:
        return
    with transaction.atomic():
        patient_ids = {patient_id for patient_id, _, _ in batch}
        existing = set(
            Flag.objects.filter(patient_id__in=patient_ids).values_list("patient_id", "code", "recorded_on")
        )
        ended = {}  # (patient, code) -> the last day staff ended a flag with that code on the page
        for patient_id, code, ended_on in Flag.objects.filter(
            patient_id__in=patient_ids, ended_on__isnull=False
        ).values_list("patient_id", "code", "ended_on"):
            ended[patient_id, code] = max(ended_on, ended.get((patient_id, code), ended_on))
        new = []
        for patient_id, entry, recorded_on in batch:
            key = (patient_id, entry.code, recorded_on)
            if key in existing:
                summary.unchanged += 1
                continue
            end = ended.get((patient_id, entry.code))
            if end is not None and (recorded_on is None or recorded_on <= end):
                summary.kept_ended += 1  # staff ended it; only a code dated after that brings it back
                continue
            existing.add(key)
            new.append(
                Flag(
                    patient_id=patient_id,
                    kind=entry.kind,
                    code=entry.code,
                    term=entry.term,
                    recorded_on=recorded_on,
                )
            )
            touched.add(patient_id)
        Flag.objects.bulk_create(new)
        summary.added += len(new)


def _review_code_stands(flags) -> bool:
    """A 104 stands unless a 106 is dated strictly after every 104. An undated code cannot be put in order, and
    on a tie nothing says which came last: the safe reading of doubt is "review first"."""
    reviews = [when for kind, when in flags if kind == FlagKind.ENHANCED_REVIEW]
    if not reviews:
        return False
    if None in reviews:
        return True
    overrides = [when for kind, when in flags if kind == FlagKind.REVIEW_NOT_INDICATED and when is not None]
    return not overrides or max(overrides) <= max(reviews)


def needs_enhanced_review(flags: Iterable[tuple[str, datetime.date | None]]) -> bool:
    """Does a patient need enhanced review now, from their current (kind, date) codes: a safeguarding or
    domestic-abuse flag, or a 104 that no later 106 overrides. The one answer the waiting list, decisions,
    campaigns and cohorts all use (H47)."""
    flags = list(flags)
    return any(kind in SAFEGUARDING_KINDS for kind, _ in flags) or _review_code_stands(flags)


REVIEW_KINDS = (*SAFEGUARDING_KINDS, FlagKind.ENHANCED_REVIEW, FlagKind.REVIEW_NOT_INDICATED)


def patients_needing_review(patient_ids) -> set[int]:
    """Which of these patients (ids, or a query of ids) need enhanced review now: one query, however many."""
    by_patient: dict[int, list] = {}
    rows = (
        Flag.objects.current()
        .filter(patient_id__in=patient_ids, kind__in=REVIEW_KINDS)
        .values_list("patient_id", "kind", "recorded_on")
    )
    for patient_id, kind, recorded_on in rows.iterator(chunk_size=5000):
        by_patient.setdefault(patient_id, []).append((kind, recorded_on))
    return {patient_id for patient_id, flags in by_patient.items() if needs_enhanced_review(flags)}


def patient_needs_review(patient_id: int | None) -> bool:
    """Read afresh from the flags, never from a copy: a flag added a minute ago counts."""
    return patient_id is not None and bool(patients_needing_review([patient_id]))


def access_status_from(flags: list[tuple[str, datetime.date | None]]) -> str | None:
    """What a patient's codes say about access, or None where they say nothing.

    103 means declined; a 104 that stands (as needs_enhanced_review reads it) means enhanced review; a 104
    overridden by a later 106 leaves access not decided.
    """
    kinds = {kind for kind, _ in flags}
    if FlagKind.ACCESS_DECLINED in kinds:
        return AccessStatus.DECLINED
    if FlagKind.ENHANCED_REVIEW not in kinds:
        return None
    return AccessStatus.ENHANCED_REVIEW if _review_code_stands(flags) else AccessStatus.NOT_DECIDED


def update_access_status(patient_ids: set[int]) -> None:
    """Bring access status into line with the codes. A 104 does not take away access a patient already has:
    that is changed in the clinical system, and the flag stays visible here."""
    kinds = (FlagKind.ACCESS_DECLINED, FlagKind.ENHANCED_REVIEW, FlagKind.REVIEW_NOT_INDICATED)
    by_patient: dict[int, list] = {}
    rows = (
        Flag.objects.current()
        .filter(patient_id__in=patient_ids, kind__in=kinds)
        .values_list("patient_id", "kind", "recorded_on")
    )
    for patient_id, kind, recorded_on in rows:
        by_patient.setdefault(patient_id, []).append((kind, recorded_on))
    with transaction.atomic():
        for patient_id, flags in by_patient.items():
            status = access_status_from(flags)
            patients = Patient.objects.filter(pk=patient_id)
            if status == AccessStatus.ENHANCED_REVIEW:
                patients = patients.exclude(access_status=AccessStatus.ACCESS_ON)
            elif status == AccessStatus.NOT_DECIDED:
                patients = patients.filter(access_status=AccessStatus.ENHANCED_REVIEW)
            if status is not None:
                patients.update(access_status=status)
