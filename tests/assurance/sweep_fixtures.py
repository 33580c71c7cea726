"""Patients and dates for the sweep's tests: every date is passed in, none comes from today's clock."""

import datetime
import itertools

from django.utils import timezone

from recordaccess.core.nhs_number import check_digit
from recordaccess.patients.models import Flag, Patient

WEEK = datetime.date(2026, 3, 9)  # a Monday
BEFORE = WEEK - datetime.timedelta(days=3)  # inside the look-back week
_serial = itertools.count(100_000)


def nhs() -> str:
    while True:
        nine = f"94{next(_serial):07d}"
        digit = check_digit(nine)
        if digit is not None:
            return f"{nine}{digit}"


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def make(practice, family, *, born=datetime.date(1980, 5, 5), created=datetime.date(2025, 1, 1), **fields):
    """A registered patient first seen on `created` (long before the sweep's week unless told)."""
    patient = Patient.objects.create(
        practice=practice,
        nhs_number=nhs(),
        given_name="Test",
        family_name=family,
        date_of_birth=born,
        **fields,
    )
    Patient.objects.filter(pk=patient.pk).update(created_at=at(created))
    patient.refresh_from_db()
    return patient


def flag(patient, kind, *, imported: datetime.date, code="1364731000000104", term="Enhanced review"):
    made = Flag.objects.create(patient=patient, kind=kind, code=code, term=term, recorded_on=imported)
    Flag.objects.filter(pk=made.pk).update(imported_at=at(imported))
    return made
