"""What a practice must record before anything is approved for, or sent to, its patients.

The BMA's guidance: agree the approach (opt-out, opt-in or hybrid) and complete the DPIA first; every message
names the DPIA. Each missing thing says what to record and the page where it is recorded.
"""

from dataclasses import dataclass

from recordaccess.practices.models import Dpia


@dataclass(frozen=True)
class Missing:
    message: str
    url_name: str  # the staff page where it is recorded


def missing_before_patients(practice) -> list[Missing]:
    missing = []
    if practice.approach_agreed_on is None:
        missing.append(
            Missing(
                "Record the date the practice agreed its approach (opt-out, opt-in or hybrid).",
                "staff:practice_edit",
            )
        )
    dpia = Dpia.objects.filter(practice_id=practice.pk).first()  # as it is now, not as it was cached
    if dpia is None or not dpia.reference.strip():
        missing.append(Missing("Record the DPIA's reference.", "staff:dpia_edit"))
    if dpia is None or dpia.completed_on is None:
        missing.append(Missing("Record the date the DPIA was completed.", "staff:dpia_edit"))
    return missing


def not_ready_reason(practice) -> str:
    """One sentence for an error message, or "" when the practice is ready."""
    missing = missing_before_patients(practice)
    if not missing:
        return ""
    return "Nothing can be approved or sent to patients yet. " + " ".join(m.message for m in missing)
