"""Actions that change the register: each audited."""

import csv
import itertools
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from recordaccess.audit.services import Actor, record
from recordaccess.core.errors import DomainError, NotFound
from recordaccess.core.privatefiles import open_private, private_folder
from recordaccess.patients.flags import flags_changed, standard_code_list, update_access_status
from recordaccess.patients.importer import ImportStopped, ImportSummary, import_register
from recordaccess.patients.models import (
    Cohort,
    Flag,
    ImportStatus,
    OnlineAccountImport,
    Patient,
    RegisterImport,
)
from recordaccess.patients.online_accounts import (
    OnlineAccountFile,
    OnlineAccountSummary,
    import_online_accounts,
)
from recordaccess.patients.register import RegisterFile, UnusableFile, load_mapping
from recordaccess.practices.models import Practice


class ImportBusy(DomainError):
    """Another import for the same practice is still running."""


def reports_dir() -> Path:
    """Problem reports and uploaded registers waiting for the worker: patients' details, so kept private."""
    return private_folder(settings.VAR_DIR / "imports")


def start_register_import(
    *, actor: Actor, practice: Practice, filename: str, size: int, full: bool = False, dry_run: bool = False
) -> RegisterImport:
    recent = timezone.now() - timedelta(hours=1)
    if RegisterImport.objects.filter(
        practice=practice, status=ImportStatus.RUNNING, started_at__gte=recent
    ).exists():
        raise ImportBusy(
            f"Another register import for {practice.ods_code} is still running. Wait for it to finish."
        )
    return RegisterImport.objects.create(
        practice=practice,
        filename=filename,
        started_by=actor.name,
        full=full,
        dry_run=dry_run,
        total_bytes=size,
    )


def run_register_import(
    *,
    actor: Actor,
    practice: Practice,
    path: str | Path,
    filename: str | None = None,
    mapping_path: str | Path | None = None,
    full: bool = False,
    dry_run: bool = False,
    report_path: str | Path | None = None,
    progress=None,
    run: RegisterImport | None = None,
) -> tuple[RegisterImport, ImportSummary]:
    """Import a register file for a practice. Raises UnusableFile, ImportStopped or ImportBusy."""
    path = Path(path)
    if run is None:
        size = path.stat().st_size if path.exists() else 0
        run = start_register_import(
            actor=actor,
            practice=practice,
            filename=filename or path.name,
            size=size,
            full=full,
            dry_run=dry_run,
        )
    report_path = Path(report_path) if report_path else reports_dir() / f"import-{run.pk}-report.csv"
    run.report_path = str(report_path)
    run.save(update_fields=["report_path"])
    detail = {"file": run.filename, "full": full, "dry_run": dry_run}
    try:
        register = RegisterFile.open(path, load_mapping(mapping_path) if mapping_path else None)
        with open_private(report_path, encoding="utf-8", newline="") as report:
            summary = import_register(record=run, register=register, report=report, progress=progress)
    except UnusableFile as error:
        run.status, run.message, run.finished_at = ImportStatus.UNUSABLE, str(error), timezone.now()
        run.save()
        _audit(actor, practice, run, {**detail, "unusable": str(error)})
        raise
    except ImportStopped as error:
        _audit(actor, practice, run, {**detail, "stopped_at_row": error.row, **error.summary.as_dict()})
        raise
    _audit(actor, practice, run, {**detail, **summary.as_dict()})
    return run, summary


def report_problems(run: RegisterImport, *, limit: int) -> list[dict]:
    """The first problems of a finished import's report, for the page (the whole report is a download)."""
    path = Path(run.report_path) if run.report_path else None
    if path is None or not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as stream:
        return list(itertools.islice(csv.DictReader(stream), limit))


def _audit(actor: Actor, practice: Practice, run: RegisterImport, detail: dict) -> None:
    record(
        actor=actor,
        action="register.import",
        practice_ods=practice.ods_code,
        object_type="register_import",
        object_id=run.pk,
        detail=detail,
    )


class CohortError(DomainError):
    """A cohort change that cannot be made, with a message for the user."""


@transaction.atomic
def save_cohort(
    *, actor: Actor, practice: Practice, name: str, filters, cohort_id: int | None = None
) -> Cohort:
    name = name.strip()
    clash = Cohort.objects.filter(practice=practice, name__iexact=name).exclude(pk=cohort_id)
    if clash.exists():
        raise CohortError(f"There is already a cohort called “{name}”. Choose another name.")
    if cohort_id is None:
        cohort = Cohort(practice=practice, created_by=actor.name)
    else:
        cohort = Cohort.objects.select_for_update().filter(practice=practice, pk=cohort_id).first()
        if cohort is None:
            raise CohortError("That cohort no longer exists.")
    cohort.name, cohort.filters = name, filters.to_dict()
    cohort.save()
    record(
        actor=actor,
        action="cohort.save",
        practice_ods=practice.ods_code,
        object_type="cohort",
        object_id=cohort.pk,
        detail={"name": name, "filters": cohort.filters},
    )
    return cohort


@transaction.atomic
def delete_cohort(*, actor: Actor, practice: Practice, cohort_id: int) -> None:
    cohort = Cohort.objects.filter(practice=practice, pk=cohort_id).first()
    if cohort is None:
        raise CohortError("That cohort has already been deleted.")
    record(
        actor=actor,
        action="cohort.delete",
        practice_ods=practice.ods_code,
        object_type="cohort",
        object_id=cohort.pk,
        detail={"name": cohort.name},
    )
    cohort.delete()


class NotOnWorklist(NotFound):
    """Not on the worklist of patients staff tell in their own format: a 404 like any other not found."""


@transaction.atomic
def record_told_in_own_format(*, actor: Actor, practice: Practice, patient_id: int) -> Patient:
    """Staff told a patient on the communication worklist about online access in braille or BSL: marked as
    told, so campaigns that leave out the recently told leave them out too."""
    from recordaccess.patients.selectors import needing_staff_to_communicate

    patient = needing_staff_to_communicate(practice).filter(pk=patient_id).first()
    if patient is None:
        raise NotOnWorklist("That patient has no need for braille or British Sign Language recorded.")
    patient.last_contacted_at = timezone.now()
    patient.save(update_fields=["last_contacted_at"])
    record(
        actor=actor,
        action="patient.told_in_own_format",
        practice_ods=practice.ods_code,
        object_type="patient",
        object_id=patient.pk,
        patient_id=patient.pk,
        detail={"needs": [flag.term for flag in patient.staff_needs]},
    )
    return patient


class FlagError(DomainError):
    """A flag that cannot be added or ended, with a message for the person doing it."""


def _flags_changed(patient_id: int) -> None:
    update_access_status({patient_id})
    flags_changed.send(sender=Flag, patient_ids={patient_id})


@transaction.atomic
def add_flag(
    *, actor: Actor, practice: Practice, patient_id: int, code: str, recorded_on, reason: str
) -> Flag:
    """A flag added by staff on the patient's page, from the shipped code list, as if the import had brought it."""
    patient = Patient.objects.filter(practice=practice, pk=patient_id).first()
    if patient is None:
        raise FlagError("No such patient")
    entry = standard_code_list().get(code)
    if entry is None:
        raise FlagError("Choose a code from the flag code list")
    if recorded_on is None:
        raise FlagError("Enter the date the code was recorded")
    if recorded_on > timezone.localdate():
        raise FlagError("The date the code was recorded cannot be in the future")
    if not reason.strip():
        raise FlagError("Say why you are adding this flag")
    if Flag.objects.filter(patient=patient, code=code, recorded_on=recorded_on).exists():
        raise FlagError("This code is already recorded for this patient on that date")
    flag = Flag.objects.create(
        patient=patient,
        kind=entry.kind,
        code=entry.code,
        term=entry.term,
        recorded_on=recorded_on,
        added_by=actor.name,
        reason=reason.strip()[:1000],
    )
    record(
        actor=actor,
        action="flag.add",
        practice_ods=practice.ods_code,
        object_type="flag",
        object_id=flag.pk,
        patient_id=patient.pk,
        detail={"code": code, "recorded_on": recorded_on.isoformat()},
    )
    _flags_changed(patient.pk)
    return flag


@transaction.atomic
def end_flag(*, actor: Actor, practice: Practice, flag_id: int, reason: str) -> Flag:
    """End a flag: it stays on the page as ended, and nothing acts on it. The weekly import brings it back only
    with a code dated after the day it was ended (patients/flags.py)."""
    flag = Flag.objects.select_for_update().filter(patient__practice=practice, pk=flag_id).first()
    if flag is None:
        raise FlagError("No such flag")
    if flag.ended_on is not None:
        raise FlagError(f"This flag was ended already, by {flag.ended_by}")
    if not reason.strip():
        raise FlagError("Say why you are ending this flag")
    flag.ended_on, flag.ended_by, flag.end_reason = timezone.localdate(), actor.name, reason.strip()[:1000]
    flag.save(update_fields=["ended_on", "ended_by", "end_reason"])
    record(
        actor=actor,
        action="flag.end",
        practice_ods=practice.ods_code,
        object_type="flag",
        object_id=flag.pk,
        patient_id=flag.patient_id,
        detail={"code": flag.code},
    )
    _flags_changed(flag.patient_id)
    return flag


ONLINE_FIELDS = OnlineAccountFile.header_names


def run_online_accounts_import(
    *,
    actor: Actor,
    practice: Practice,
    path: str | Path,
    filename: str | None = None,
    report_path: str | Path | None = None,
    mapping_path: str | Path | None = None,
    today=None,
    progress=None,
) -> tuple[OnlineAccountImport, OnlineAccountSummary]:
    """Import the clinical system's online-accounts export for a practice (patients/online_accounts.py). Raises
    UnusableFile when the file cannot be used at all; the run, its figures and the audit entry are kept either way."""
    path = Path(path)
    run = OnlineAccountImport.objects.create(
        practice=practice, filename=(filename or path.name)[:255], started_by=actor.name[:150]
    )
    report_path = Path(report_path) if report_path else reports_dir() / f"online-{run.pk}-report.csv"
    run.report_path = str(report_path)
    run.save(update_fields=["report_path"])
    detail = {"file": run.filename}
    try:
        with open_private(report_path, encoding="utf-8", newline="") as report:
            summary = import_online_accounts(
                run=run,
                path=path,
                report=report,
                today=today,
                progress=progress,
                mapping=load_mapping(mapping_path, ONLINE_FIELDS) if mapping_path else None,
            )
    except UnusableFile as error:
        run.status, run.message, run.finished_at = ImportStatus.UNUSABLE, str(error), timezone.now()
        run.save()
        _audit_online(actor, practice, run, {**detail, "unusable": str(error)})
        raise
    run.refresh_from_db()
    run.status, run.finished_at = ImportStatus.COMPLETED, timezone.now()
    run.save(update_fields=["status", "finished_at"])
    _audit_online(actor, practice, run, {**detail, **summary.as_dict()})
    return run, summary


def _audit_online(actor: Actor, practice: Practice, run: OnlineAccountImport, detail: dict) -> None:
    record(
        actor=actor,
        action="online_accounts.import",
        practice_ods=practice.ods_code,
        object_type="online_account_import",
        object_id=run.pk,
        detail=detail,
    )
