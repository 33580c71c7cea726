"""The SNOMED CT codes each decision asks staff to record in EMIS Web or SystmOne, and the coding worklist.

The codes and terms come from the practice's code list (patients/codes/flag_codes.csv, with its sources: the
BMA's "Providing access to patient records" and NHS Digital's "Using Enhanced Review (SNOMED) codes"):

- access granted after a review: 1364751000000106 "Enhanced review not indicated…", which overrides an earlier
  104 so access can start (EMIS Web reads it at go-live, at 16, and when an NHS login account links);
- declined by the practice, or deferred with automatic access stopped: 1364731000000104 "Enhanced review
  indicated…", which keeps access from starting by itself until a review decides. It is never bulk-applied:
  each row here comes from one reviewer's decision about one patient;
- the patient does not want access: 1290331000000103 "Online access to own health record declined by patient",
  from a decision, or straight from the patient's own "no" to our message (replies/services.py), so that an
  opt-out practice's go-live does not turn access on for them (H56).

No code exists for third-party or harmful information: those are redactions made in the clinical system, and
the worklist tracks them separately.
"""

import io

from django.db import transaction
from django.utils import timezone

from recordaccess.audit.services import Actor, record
from recordaccess.core import spreadsheet
from recordaccess.core.errors import DomainError
from recordaccess.patients.flags import standard_code_list
from recordaccess.patients.models import AccessStatus, Patient
from recordaccess.review.models import CodingEntry, CodingExport, Decision, Outcome

REVIEW_NOT_INDICATED = "1364751000000106"
ENHANCED_REVIEW = "1364731000000104"
DECLINED_BY_PATIENT = "1290331000000103"
HEADER = ["NHS number", "SNOMED CT code", "Term", "Date"]


def codes_for(decision: Decision) -> list[str]:
    if decision.outcome in (Outcome.GRANTED, Outcome.GRANTED_REDACTED):
        return [REVIEW_NOT_INDICATED]
    if decision.outcome == Outcome.DECLINED:
        return [ENHANCED_REVIEW]
    if decision.outcome == Outcome.DEFERRED:
        return [ENHANCED_REVIEW] if decision.stop_automatic_access else []
    if decision.outcome == Outcome.PATIENT_DECLINED:
        return [DECLINED_BY_PATIENT]
    return []


def add_codes(decision: Decision) -> list[CodingEntry]:
    terms = standard_code_list()
    return [
        CodingEntry.objects.create(
            practice=decision.practice,
            decision=decision,
            nhs_number=decision.patient.nhs_number,
            code=code,
            term=terms[code].term,
            date=timezone.localdate(decision.decided_at),
        )
        for code in codes_for(decision)
    ]


def patient_declined(*, patient, reply) -> CodingEntry | None:
    """A patient's own "no" to our message: the 103 goes on the worklist and our copy of their access status
    follows. Said again, it is coded once: a patient already declined has their code on the list or entered."""
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if patient.access_status == AccessStatus.DECLINED:
        return None
    Patient.objects.filter(pk=patient.pk).update(access_status=AccessStatus.DECLINED)
    return CodingEntry.objects.create(
        practice_id=patient.practice_id,
        reply=reply,
        nhs_number=patient.nhs_number,
        code=DECLINED_BY_PATIENT,
        term=standard_code_list()[DECLINED_BY_PATIENT].term,
        date=timezone.localdate(reply.received_at),
    )


def worklist(practice):
    """Codes not yet entered in the clinical system, oldest first."""
    return CodingEntry.objects.filter(practice=practice, coded_at=None).order_by("date", "id")


@transaction.atomic
def export(*, actor: Actor, practice) -> tuple[CodingExport, str]:
    """Every code not yet entered, as CSV for batch entry (NHS number, code, term, date), in a new export.

    A code stays on the worklist until staff confirm the export it was last in; an export is confirmed only
    for the rows it held, so a code decided after the download is never marked entered by mistake."""
    batch = CodingExport.objects.create(practice=practice, created_by=actor.name)
    entries = list(worklist(practice).select_for_update())
    CodingEntry.objects.filter(pk__in=[e.pk for e in entries]).update(export=batch)
    batch.rows = len(entries)
    batch.save(update_fields=["rows"])
    out = io.StringIO()
    writer = spreadsheet.writer(out)
    writer.writerow(HEADER)
    for entry in entries:
        writer.writerow([entry.nhs_number, entry.code, entry.term, entry.date.strftime("%d/%m/%Y")])
    record(
        actor=actor,
        action="coding.export",
        practice_ods=practice.ods_code,
        object_type="coding_export",
        object_id=batch.pk,
        detail={"rows": batch.rows},
    )
    return batch, out.getvalue()


class CodingError(DomainError):
    pass


@transaction.atomic
def confirm(*, actor: Actor, practice, export_id: int) -> int:
    """Staff have entered an export's codes in the clinical system: mark those rows (and only those) coded."""
    batch = CodingExport.objects.select_for_update().filter(practice=practice, pk=export_id).first()
    if batch is None:
        raise CodingError(f"There is no coding export {export_id} for this practice.")
    if batch.confirmed_at:
        raise CodingError(f"Export {export_id} was confirmed by {batch.confirmed_by} already.")
    now = timezone.now()
    coded = CodingEntry.objects.filter(export=batch, coded_at=None).update(coded_at=now, coded_by=actor.name)
    batch.confirmed_at, batch.confirmed_by = now, actor.name
    batch.save(update_fields=["confirmed_at", "confirmed_by"])
    record(
        actor=actor,
        action="coding.confirm",
        practice_ods=practice.ods_code,
        object_type="coding_export",
        object_id=batch.pk,
        detail={"coded": coded},
    )
    return coded
