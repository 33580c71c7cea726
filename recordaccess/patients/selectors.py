"""Reading patients: always within one practice."""

import datetime

from django.db.models import Count, Exists, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from recordaccess.core import nhs_number
from recordaccess.core.scoping import one_for_practice
from recordaccess.patients.models import (
    COMMUNICATION_KINDS,
    Cohort,
    Flag,
    ImportStatus,
    OnlineAccountImport,
    Patient,
    Preference,
    RegisterImport,
    RegistrationStatus,
)
from recordaccess.patients.names import search_key
from recordaccess.patients.needs import STAFF_KINDS, written_format
from recordaccess.patients.register import parse_date

SEARCH_LIMIT = 50


def practice_patients(practice) -> QuerySet[Patient]:
    return Patient.objects.filter(practice=practice)


def patient_in_practice(practice, patient_id: int) -> Patient:
    return one_for_practice(Patient.objects.all(), practice, patient_id)


def practice_cohorts(practice) -> QuerySet[Cohort]:
    return Cohort.objects.filter(practice=practice)


def cohort_for_practice(practice, cohort_id: int) -> Cohort:
    return one_for_practice(Cohort.objects.all(), practice, cohort_id)


def recent_imports(practice) -> QuerySet[RegisterImport]:
    return RegisterImport.objects.filter(practice=practice)[:10]


def import_for_practice(practice, import_id: int) -> RegisterImport:
    return one_for_practice(RegisterImport.objects.all(), practice, import_id)


def _prefix(**field_prefix) -> Q:
    """A prefix match as a range, so every database uses the index: 'smi' ≤ key < 'smj'."""
    [(field, prefix)] = field_prefix.items()
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})


def search_patients(practice, query: str) -> list[Patient]:
    """By NHS number, by date of birth, or by name ('smith', 'zoe smith', 'smith, zoe'); at most 50, by name."""
    found: dict[int, Patient] = {}
    for queryset in _matches(practice, query.strip()):
        for patient in queryset[: SEARCH_LIMIT - len(found)]:
            found[patient.pk] = patient
    return sorted(found.values(), key=lambda p: (p.family_key, p.given_key, p.date_of_birth))[:SEARCH_LIMIT]


def _matches(practice, query: str) -> list[QuerySet[Patient]]:
    """One query per reading of the search, each able to use an index on its own."""
    patients = practice_patients(practice)
    digits = nhs_number.normalise(query)
    if digits.isdigit() and len(digits) == 10:
        return [patients.filter(nhs_number=digits)]
    try:
        born = parse_date(query)
    except ValueError:
        born = None
    if isinstance(born, datetime.date):
        # No ORDER BY here: it would tempt the planner to walk the name index instead of the date one.
        return [patients.filter(date_of_birth=born)]
    if "," in query:
        family, _, given = query.partition(",")
        readings = [(search_key(family), search_key(given))]
    else:
        # 'siobhan ni bhriain' may be given 'siobhan' + family 'ni bhriain', or given 'siobhan ni' + 'bhriain'.
        words = search_key(query).split()
        readings = [(" ".join(words), "")] + [
            (" ".join(words[k:]), " ".join(words[:k])) for k in range(1, len(words))
        ]
    return [
        patients.filter(_prefix(family_key=family), _prefix(given_key=given) if given else Q()).order_by(
            "family_key", "given_key"
        )
        for family, given in readings
        if family
    ]


def needing_staff_to_communicate(practice) -> QuerySet[Patient]:
    """Registered patients whose coded need no printed letter meets (braille, British Sign Language): campaigns
    send them no letter, so staff contact them in their own format."""
    staff_flags = Flag.objects.current().filter(kind__in=STAFF_KINDS)
    return (
        practice_patients(practice)
        .filter(status="registered", flags__kind__in=STAFF_KINDS, flags__ended_on=None)
        .distinct()
        .prefetch_related(Prefetch("flags", queryset=staff_flags, to_attr="staff_needs"))
        .order_by("family_name", "given_name", "pk")
    )


def current_flags(patient_id: int) -> QuerySet[Flag]:
    """The patient's flags that have not ended: the reviewer sees them beside the request."""
    return Flag.objects.current().filter(patient_id=patient_id)


def written_format_for(patient: Patient) -> str:
    """The format the patient's communication needs ask written messages to be in (patients/needs.py)."""
    return written_format(
        patient.flags.current().filter(kind__in=COMMUNICATION_KINDS).values_list("kind", "code")
    )


def _ids(wanted: dict, object_type: str) -> list[int]:
    return [int(i) for i in wanted.get(object_type, ()) if str(i).isdigit()]


def audit_names(sender, *, practice, wanted: dict, **kwargs) -> dict:
    """Names for the audit trail's page (`practices.signals.audit_names`): each patient as "SMITH, Anne
    (943 476 5919)" and each cohort by its name, only of this practice."""
    names = {
        (
            "patient",
            str(p.pk),
        ): f"{p.family_name.upper()}, {p.given_name} ({nhs_number.formatted(p.nhs_number)})"
        for p in Patient.objects.filter(practice=practice, pk__in=_ids(wanted, "patient"))
    }
    names.update(
        (("cohort", str(c.pk)), c.name)
        for c in Cohort.objects.filter(practice=practice, pk__in=_ids(wanted, "cohort"))
    )
    return names


def failed_imports(practice, user=None) -> int:
    """Register imports that stopped part-way or could not use their file since the last one that completed: an
    import that worked after a failure has put the register right, so the older failure is no longer work."""
    last_good = (
        RegisterImport.objects.filter(practice=practice, status=ImportStatus.COMPLETED, dry_run=False)
        .order_by("-started_at")
        .values("started_at")[:1]
    )
    failed = RegisterImport.objects.filter(
        practice=practice, status__in=[ImportStatus.STOPPED, ImportStatus.UNUSABLE], dry_run=False
    )
    return failed.filter(Q(started_at__gt=Subquery(last_good)) | ~Exists(last_good)).count()


def recent_online_imports(practice) -> QuerySet[OnlineAccountImport]:
    return OnlineAccountImport.objects.filter(practice=practice)[:10]


def online_import_for_practice(practice, import_id: int) -> OnlineAccountImport:
    return one_for_practice(OnlineAccountImport.objects.all(), practice, import_id)


def registered_on_day(practices, day: datetime.date) -> QuerySet[Patient]:
    """The practices' patients registered at the end of `day`: joined by then (or date unknown), not left and not
    died by then. A patient marked as gone with no date is taken as gone throughout."""
    from recordaccess.patients.models import RegistrationStatus

    return (
        Patient.objects.filter(practice__in=practices)
        .filter(Q(registered_on__isnull=True) | Q(registered_on__lte=day))
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
        .filter(Q(date_of_death__isnull=True) | Q(date_of_death__gt=day))
        .exclude(
            ~Q(status=RegistrationStatus.REGISTERED) & Q(left_on__isnull=True) & Q(date_of_death__isnull=True)
        )
    )


def online_access_counts(practices, day: datetime.date, *, granted, coded) -> dict[int, dict[str, int]]:
    """Counts only, by practice id, at the end of `day`: registered patients, those with online access (an account
    in the clinical system's export by then, or access granted by a decision, `granted`, a query of patient ids)
    and those with detailed coded record access or fuller (`coded`, patient ids). One query for all practices."""
    from django.db.models import Count

    rows = (
        registered_on_day(practices, day)
        .values("practice_id")
        .annotate(
            registered=Count("pk"),
            online=Count("pk", filter=Q(online_account_since__lte=day) | Q(pk__in=granted)),
            coded=Count("pk", filter=Q(pk__in=coded)),
        )
        .order_by()
    )
    return {
        row["practice_id"]: {"registered": row["registered"], "online": row["online"], "coded": row["coded"]}
        for row in rows
    }


# --- The dashboard's figures (reports/refresh.py): counts grouped by local day, never a patient's details. ---


def registrations_by_day(practice) -> tuple[list[tuple[datetime.date, int]], list[tuple[datetime.date, int]]]:
    """Patients who joined the register each day (the registration date, else the day they were imported) and
    who left it (left or died: that date, else the day the register said so)."""
    patients = Patient.objects.filter(practice=practice)
    joined = list(
        patients.exclude(registered_on=None).values_list("registered_on").annotate(n=Count("pk")).order_by()
    ) + list(
        patients.filter(registered_on=None)
        .annotate(day=TruncDate("created_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    left = list(
        patients.exclude(status=RegistrationStatus.REGISTERED)
        .annotate(day=Coalesce("left_on", "date_of_death", TruncDate("updated_at")))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return joined, left


def preferences_by_day(practice) -> list[tuple[str, datetime.date, int]]:
    """Registered patients who have told us their preference, by preference and the day it was recorded."""
    return list(
        Patient.objects.filter(practice=practice, status=RegistrationStatus.REGISTERED)
        .exclude(preference=Preference.NOT_KNOWN)
        .annotate(day=TruncDate(Coalesce("preference_recorded_at", "updated_at")))
        .values_list("preference", "day")
        .annotate(n=Count("pk"))
        .order_by()
    )


def first_patient_day(practice) -> datetime.date | None:
    """The day the practice's first patient was imported: when its figures start."""
    first = (
        Patient.objects.filter(practice=practice)
        .order_by("created_at")
        .values_list("created_at", flat=True)[:1]
    )
    return timezone.localdate(first[0]) if first else None
