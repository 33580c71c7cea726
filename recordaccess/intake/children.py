"""A child asking to see their own record, or someone asking for a child's (DOMAIN.md, proxy access; H61).

The programme is for patients aged 16 and over. Younger, a clinician decides: under 13 the child cannot use NHS
login, so their identity is checked at the desk; from 13 to 15 the clinician assesses whether they understand
what access means (Gillick competence). For a parent, parental responsibility is enough up to 11 and from 11 to
16 each case is assessed. The patient is told what will happen before they send the request, and staff see the
age and the assessment on the request and the waiting list.

Ages are counted on today's date in the UK (settings.TIME_ZONE), so a birthday starts at midnight in England.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from recordaccess.intake.models import Wish
from recordaccess.patients.cohorts import age_on

NHS_LOGIN_AGE = 13  # NHS login accounts start at 13
PARENTS_DECIDE_UNTIL = 11
OWN_ACCESS_AGE = 16


@dataclass(frozen=True)
class ChildAssessment:
    age: int
    needs: str  # the assessment the request needs, for staff
    told: str  # what the patient (or their parent) is told will happen, in plain English

    @property
    def for_staff(self) -> str:
        return f"Age {self.age}: {self.needs}"


def assessment(
    born: datetime.date, *, wish: str, for_someone_else: bool, now: datetime.datetime | None = None
) -> ChildAssessment | None:
    """What a request for access to a child's record needs, or None for a patient of 16 or over (or a request
    that asks for no access)."""
    age = age_on(born, timezone.localdate(now))
    if wish != Wish.WANTS_ACCESS or age >= OWN_ACCESS_AGE:
        return None
    if for_someone_else:
        if age < PARENTS_DECIDE_UNTIL:
            return ChildAssessment(
                age,
                "under 11 — parental responsibility to be checked",
                "Because they are under 11, we will ask to see proof that you have parental responsibility "
                "for them, such as their birth certificate. A GP or nurse then decides what you can see.",
            )
        return ChildAssessment(
            age,
            "Gillick competence to be assessed before a parent has access",
            "Because they are aged 11 to 15, a GP or nurse will talk with them first. If they understand what "
            "it means, they decide whether you can see their record.",
        )
    if age < NHS_LOGIN_AGE:
        return ChildAssessment(
            age,
            "under 13 — a clinician decides; identity checked at the desk",
            "Because you are under 13, a GP or nurse will talk with you before deciding if you can see your "
            "record online. NHS login is only for people aged 13 and over, so we will check who you are at "
            "the practice. You can bring a parent or carer with you.",
        )
    return ChildAssessment(
        age,
        "Gillick competence to be assessed",
        "Because you are under 16, a GP or nurse will talk with you first, to check you understand what "
        "seeing your record online means, before deciding. We may ask you to come to the practice.",
    )


def for_request(request, now: datetime.datetime | None = None) -> ChildAssessment | None:
    """The assessment a request needs, from the date of birth it gives."""
    return assessment(
        request.date_of_birth, wish=request.wish, for_someone_else=request.for_someone_else, now=now
    )
