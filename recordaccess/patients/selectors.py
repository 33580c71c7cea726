"""Reading patients: always within one practice."""

import datetime

from django.db.models import QuerySet

from recordaccess.patients import nhs_number
from recordaccess.patients.models import Patient
from recordaccess.patients.names import search_key
from recordaccess.patients.register import parse_date

SEARCH_LIMIT = 50


def practice_patients(practice) -> QuerySet[Patient]:
    return Patient.objects.filter(practice=practice)


def patient_in_practice(practice, patient_id: int) -> Patient | None:
    return practice_patients(practice).filter(pk=patient_id).first()


def _prefix(queryset: QuerySet, field: str, prefix: str) -> QuerySet:
    """A prefix match as a range, so every database uses the index: 'smi' ≤ key < 'smj'."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return queryset.filter(**{f"{field}__gte": prefix, f"{field}__lt": upper})


def search_patients(practice, query: str) -> list[Patient]:
    """By NHS number, by date of birth, or by name ('smith', 'zoe smith', 'smith, zoe'); at most 50, by name."""
    found = list(_matches(practice, query)[:SEARCH_LIMIT])
    return sorted(found, key=lambda p: (p.family_key, p.given_key, p.date_of_birth))


def _matches(practice, query: str) -> QuerySet[Patient]:
    query = query.strip()
    patients = practice_patients(practice)
    digits = nhs_number.normalise(query)
    if digits.isdigit() and len(digits) == 10:
        return patients.filter(nhs_number=digits)
    try:
        born = parse_date(query)
    except ValueError:
        born = None
    if isinstance(born, datetime.date):
        # No ORDER BY here: it would tempt the planner to walk the name index instead of the date one.
        return patients.filter(date_of_birth=born)
    if "," in query:
        family, _, given = query.partition(",")
    else:
        *given_parts, family = query.split() or [""]
        given = " ".join(given_parts)
    family, given = search_key(family), search_key(given)
    if not family:
        return patients.none()
    found = _prefix(patients, "family_key", family)
    if given:
        found = _prefix(found, "given_key", given)
    return found.order_by("family_key", "given_key")
