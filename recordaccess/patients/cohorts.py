"""Cohorts: named filters over a practice's patients, turned into one query.

Patients under 16, deceased or who have left are out of every cohort unless a filter asks for them: the
`include_*` choices, or "turning 16 within N days", which is about under-16s by its nature.
"""

import datetime
from dataclasses import asdict, dataclass, field, fields

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from recordaccess.patients.flags import patients_needing_review
from recordaccess.patients.models import AccessStatus, Flag, FlagKind, Patient, Preference, RegistrationStatus

ANY, YES, NO = "", "yes", "no"


def age_on(born: datetime.date, day: datetime.date) -> int:
    """A person's age in whole years on a day (their birthday counts from its morning)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


@dataclass
class CohortFilters:
    min_age: int | None = None
    max_age: int | None = None
    has_mobile: str = ANY
    has_email: str = ANY
    has_address: str = ANY
    flags_present: list[str] = field(default_factory=list)  # any of them
    flags_all: list[str] = field(default_factory=list)
    flags_absent: list[str] = field(default_factory=list)
    needs_review: str = ANY  # needs enhanced review now (patients/flags.py needs_enhanced_review)
    preferences: list[str] = field(default_factory=list)
    access_statuses: list[str] = field(default_factory=list)
    not_contacted_in_days: int | None = None
    registered_since: datetime.date | None = None
    turning_16_within_days: int | None = None
    include_under_16: bool = False
    include_deceased: bool = False
    include_left: bool = False

    @classmethod
    def from_dict(cls, data: dict) -> "CohortFilters":
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in (data or {}).items() if key in known}
        if isinstance(values.get("registered_since"), str) and values["registered_since"]:
            values["registered_since"] = datetime.date.fromisoformat(values["registered_since"])
        return cls(**values)

    def to_dict(self) -> dict:
        data = asdict(self)
        if self.registered_since:
            data["registered_since"] = self.registered_since.isoformat()
        return {key: value for key, value in data.items() if value not in (None, "", [], False)}

    def describe(self) -> list[str]:
        """The filters in plain English, for the cohort list and the campaign that uses it."""
        kinds, prefs, statuses = dict(FlagKind.choices), dict(Preference.choices), dict(AccessStatus.choices)
        parts = []
        if self.min_age is not None or self.max_age is not None:
            parts.append(
                f"aged {self.min_age or 0} to {self.max_age}"
                if self.max_age is not None
                else f"aged {self.min_age} or over"
            )
        for label, value in (
            ("a mobile", self.has_mobile),
            ("an email address", self.has_email),
            ("a postal address", self.has_address),
        ):
            if value:
                parts.append(f"{'with' if value == YES else 'without'} {label}")
        if self.flags_present:
            parts.append("flagged with any of: " + ", ".join(kinds[k].lower() for k in self.flags_present))
        if self.flags_all:
            parts.append("flagged with all of: " + ", ".join(kinds[k].lower() for k in self.flags_all))
        if self.flags_absent:
            parts.append("not flagged: " + ", ".join(kinds[k].lower() for k in self.flags_absent))
        if self.needs_review:
            parts.append(
                "needing enhanced review now" if self.needs_review == YES else "not needing enhanced review"
            )
        if self.preferences:
            parts.append("preference: " + ", ".join(prefs[p].lower() for p in self.preferences))
        if self.access_statuses:
            parts.append("access: " + ", ".join(statuses[s].lower() for s in self.access_statuses))
        if self.not_contacted_in_days is not None:
            parts.append(f"not contacted in the last {self.not_contacted_in_days} days")
        if self.registered_since:
            parts.append(f"registered since {self.registered_since.day} {self.registered_since:%B %Y}")
        if self.turning_16_within_days is not None:
            parts.append(f"turning 16 within {self.turning_16_within_days} days")
        included = [
            n
            for n, v in (
                ("under 16", self.include_under_16),
                ("deceased", self.include_deceased),
                ("left", self.include_left),
            )
            if v
        ]
        if included:
            parts.append("including " + ", ".join(included))
        return parts or ["every registered patient aged 16 or over"]


def _has(field_name: str, value: str) -> Q:
    empty = Q(**{field_name: ""})
    return ~empty if value == YES else empty if value == NO else Q()


def cohort_patients(
    practice, filters: CohortFilters, *, today: datetime.date | None = None
) -> QuerySet[Patient]:
    today = today or timezone.localdate()
    patients = Patient.objects.filter(practice=practice)
    statuses = [RegistrationStatus.REGISTERED]
    if filters.include_deceased:
        statuses.append(RegistrationStatus.DECEASED)
    if filters.include_left:
        statuses.append(RegistrationStatus.LEFT)
    patients = patients.filter(status__in=statuses)
    sixteenth_birthday_passed = Q(date_of_birth__lte=years_before(today, 16))
    if filters.turning_16_within_days is not None:
        patients = patients.filter(
            date_of_birth__gt=years_before(today, 16),
            date_of_birth__lte=years_before(
                today + datetime.timedelta(days=filters.turning_16_within_days), 16
            ),
        )
    elif not filters.include_under_16:
        patients = patients.filter(sixteenth_birthday_passed)
    if filters.min_age is not None:
        patients = patients.filter(date_of_birth__lte=years_before(today, filters.min_age))
    if filters.max_age is not None:
        patients = patients.filter(date_of_birth__gt=years_before(today, filters.max_age + 1))
    patients = patients.filter(_has("mobile", filters.has_mobile), _has("email", filters.has_email))
    if filters.has_address == YES:
        patients = patients.exclude(postcode="").exclude(address_line_1="", address_line_2="")
    elif filters.has_address == NO:
        patients = patients.filter(Q(postcode="") | Q(address_line_1="", address_line_2=""))
    flags = Flag.objects.current().filter(patient=OuterRef("pk"))
    if filters.flags_present:
        patients = patients.filter(Exists(flags.filter(kind__in=filters.flags_present)))
    for kind in filters.flags_all:
        patients = patients.filter(Exists(flags.filter(kind=kind)))
    if filters.flags_absent:
        patients = patients.exclude(Exists(flags.filter(kind__in=filters.flags_absent)))
    if filters.needs_review:
        flagged = patients_needing_review(
            Flag.objects.filter(patient__practice=practice).values("patient_id")
        )
        patients = (
            patients.filter(pk__in=flagged)
            if filters.needs_review == YES
            else patients.exclude(pk__in=flagged)
        )
    if filters.preferences:
        patients = patients.filter(preference__in=filters.preferences)
    if filters.access_statuses:
        patients = patients.filter(access_status__in=filters.access_statuses)
    if filters.not_contacted_in_days is not None:
        since = timezone.now() - datetime.timedelta(days=filters.not_contacted_in_days)
        patients = patients.filter(Q(last_contacted_at__isnull=True) | Q(last_contacted_at__lt=since))
    if filters.registered_since:
        patients = patients.filter(registered_on__gte=filters.registered_since)
    return patients
