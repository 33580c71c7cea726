"""The weekly safety sweep (issue 15 item 2): each week, a worklist of named patients needing a look, each given an
outcome by a named member of staff, and the whole signed off by a named person. Kept as evidence: a signed sweep
never changes. `sweep_record` is what the plan's export shows of it.

Which patients, for the sweep of the week starting W (a Monday), generated at the start of that week:
- looking back, from the previous sweep's week (or W - 7 for a practice's first) up to W: new registrations (the
  registration date, or the day the register import first saw the patient, after the practice's first import),
  online accounts or proxy access new to this service (`Patient.online_account_seen_on`, set by the
  online-accounts import), and current safeguarding or enhanced-review codes the service learned of (a flag's
  `imported_at`, whether imported or added on a page);
- looking ahead, to the end of W (from the end of the previous sweep's week, so a missed week is not lost):
  children turning 16 who have an online account or proxy access (H93), and turning 11 where a parent has proxy
  access.
Only registered patients. Every date comes in as an argument, never from today's clock, except in the periodic
task, which asks for this week's sweep.
"""

import dataclasses
import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from recordaccess.assurance.models import Sweep, SweepEntry, SweepOutcome, SweepReason
from recordaccess.audit.services import Actor, record
from recordaccess.core.errors import DomainError
from recordaccess.core.scoping import one_for_practice
from recordaccess.patients.models import RISK_KINDS, Flag, Patient, RegisterImport, RegistrationStatus
from recordaccess.practices.models import Practice

DAYS = 7
OVERDUE_AFTER_DAYS = 7  # a sweep not signed off this many days after its week started is overdue


class SweepError(DomainError):
    """A refusal about a sweep: signed already, patients without an outcome, a bad outcome."""


@dataclasses.dataclass(frozen=True)
class SweepSummary:
    """One week's sweep as evidence: how many patients it named, what was found, who signed it off."""

    week_starting: datetime.date
    patients: int
    by_outcome: dict[str, int]  # outcome label → patients
    signed_off_by: str
    signed_off_at: datetime.datetime | None


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of the week holding `day`."""
    return day - datetime.timedelta(days=day.weekday())


def birthday(born: datetime.date, age: int) -> datetime.date:
    """The day a person born on `born` reaches `age`; 29 February's children reach it on 1 March."""
    try:
        return born.replace(year=born.year + age)
    except ValueError:
        return datetime.date(born.year + age, 3, 1)


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _first_import_finished(practice) -> datetime.datetime | None:
    """When the practice's first register import finished: patients it created are the practice's starting
    register, not new registrations."""
    return (
        RegisterImport.objects.filter(practice=practice, dry_run=False, finished_at__isnull=False)
        .order_by("finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def _born_between(start: datetime.date, end: datetime.date, age: int) -> Q:
    """Patients whose birthday of `age` might fall in [start, end): a range on the indexed date of birth, a little
    wide each side for 29 February; `birthday` decides."""
    slack = datetime.timedelta(days=2)
    return Q(
        date_of_birth__gte=_years_before(start, age) - slack,
        date_of_birth__lt=_years_before(end, age) + slack,
    )


def named_patients(practice, *, week_starting: datetime.date, looks_back_from, birthdays_from) -> dict:
    """patient id → (reasons, details) for a sweep: the rules in this module's docstring."""
    end = week_starting + datetime.timedelta(days=DAYS)
    registered = Patient.objects.filter(practice=practice, status=RegistrationStatus.REGISTERED)
    found: dict[int, tuple[list[str], list[str]]] = {}

    def add(pk, reason, detail=""):
        reasons, details = found.setdefault(pk, ([], []))
        if reason not in reasons:
            reasons.append(reason)
        if detail and detail not in details:
            details.append(detail)

    new = Q(registered_on__gte=looks_back_from, registered_on__lt=week_starting)
    first_import = _first_import_finished(practice)
    seen = Q(created_at__gte=_midnight(looks_back_from), created_at__lt=_midnight(week_starting))
    if first_import is not None:
        seen &= Q(created_at__gt=first_import)
    for pk, registered_on in registered.filter(new | seen).values_list("pk", "registered_on"):
        add(pk, SweepReason.NEW_REGISTRATION, f"registered {registered_on:%d/%m/%Y}" if registered_on else "")
    accounts = registered.filter(
        online_account_seen_on__gte=looks_back_from, online_account_seen_on__lt=week_starting
    ).values_list("pk", "proxy_access", "proxy_details")
    for pk, proxy, details in accounts:
        add(pk, SweepReason.NEW_ONLINE_ACCOUNT, f"proxy access: {details or 'yes'}" if proxy else "")
    codes = (
        Flag.objects.current()
        .filter(
            patient__in=registered,
            kind__in=RISK_KINDS,
            imported_at__gte=_midnight(looks_back_from),
            imported_at__lt=_midnight(week_starting),
        )
        .values_list("patient_id", "term")
    )
    for pk, term in codes:
        add(pk, SweepReason.NEW_SAFEGUARDING, term)
    with_account = Q(online_account_since__isnull=False) | Q(proxy_access=True)
    for age, reason, who in (
        (16, SweepReason.TURNING_16, with_account),
        (11, SweepReason.TURNING_11_PROXY, Q(proxy_access=True)),
    ):
        rows = registered.filter(who, _born_between(birthdays_from, end, age)).values_list(
            "pk", "date_of_birth"
        )
        for pk, born in rows:
            day = birthday(born, age)
            if birthdays_from <= day < end:
                add(pk, reason, f"{age} on {day:%d/%m/%Y}")
    return found


def generate(practice, *, week_starting: datetime.date, actor: Actor | None = None) -> tuple[Sweep, bool]:
    """The practice's sweep for the week starting `week_starting` (a Monday), made if it does not exist yet.
    Idempotent: a second call, at whatever time or from a second worker, returns the first (the constraint on
    practice and week decides a race). Returns (sweep, created)."""
    if week_starting.weekday() != 0:
        raise SweepError("A sweep's week starts on a Monday.")
    existing = Sweep.objects.filter(practice=practice, week_starting=week_starting).first()
    if existing is not None:
        return existing, False
    previous = (
        Sweep.objects.filter(practice=practice, week_starting__lt=week_starting)
        .order_by("-week_starting")
        .first()
    )
    looks_back_from = previous.week_starting if previous else week_starting - datetime.timedelta(days=DAYS)
    birthdays_from = previous.week_starting + datetime.timedelta(days=DAYS) if previous else week_starting
    birthdays_from = min(birthdays_from, week_starting)
    named = named_patients(
        practice, week_starting=week_starting, looks_back_from=looks_back_from, birthdays_from=birthdays_from
    )
    try:
        with transaction.atomic():
            sweep = Sweep.objects.create(
                practice=practice,
                week_starting=week_starting,
                looks_back_from=looks_back_from,
                birthdays_from=birthdays_from,
            )
            SweepEntry.objects.bulk_create(
                SweepEntry(sweep=sweep, patient_id=pk, reasons=reasons, detail="; ".join(details)[:300])
                for pk, (reasons, details) in named.items()
            )
            record(
                actor=actor or Actor.system("weekly sweep"),
                action="sweep.generate",
                practice_ods=practice.ods_code,
                object_type="sweep",
                object_id=sweep.pk,
                detail={"week_starting": week_starting.isoformat(), "patients": len(named)},
            )
    except IntegrityError:
        return Sweep.objects.get(practice=practice, week_starting=week_starting), False
    return sweep, True


def generate_due(today: datetime.date) -> int:
    """This week's sweep for every practice that lacks one: the periodic task's work. Returns how many it made."""
    week = week_of(today)
    made = 0
    for practice in Practice.objects.exclude(sweeps__week_starting=week).order_by("pk"):
        made += generate(practice, week_starting=week)[1]
    return made


# Reads, always scoped to one practice.


def sweeps(practice):
    return (
        Sweep.objects.filter(practice=practice)
        .annotate(patients=Count("entries"), open=Count("entries", filter=Q(entries__outcome="")))
        .order_by("-week_starting")
    )


def sweep(practice, sweep_id: int) -> Sweep:
    return one_for_practice(Sweep.objects.all(), practice, sweep_id)


def entries(sweep: Sweep):
    return sweep.entries.select_related("patient", "reviewed_by").order_by(
        "patient__family_name", "patient__given_name", "id"
    )


def entry(sweep: Sweep, entry_id: int) -> SweepEntry:
    return one_for_practice(
        SweepEntry.objects.filter(sweep=sweep).select_related("patient", "reviewed_by"),
        sweep.practice,
        entry_id,
        through="sweep__practice",
    )


def overdue(practice, user=None, *, today: datetime.date | None = None) -> int:
    """The overview's item: sweeps not signed off OVERDUE_AFTER_DAYS after their week started, and one more when
    the practice has had sweeps but none for this week or last (the weekly task has stopped)."""
    today = today or timezone.localdate()
    due = today - datetime.timedelta(days=OVERDUE_AFTER_DAYS)
    found = Sweep.objects.filter(practice=practice).aggregate(
        late=Count("pk", filter=Q(signed_off_at__isnull=True, week_starting__lte=due)),
        newest=Max("week_starting"),
    )
    late, newest = found["late"], found["newest"]
    missing = newest is not None and newest < week_of(today) - datetime.timedelta(days=DAYS)
    return late + int(missing)


def sweep_record(practice) -> list[SweepSummary]:
    """The practice's sweeps, newest first."""
    labels = dict(SweepOutcome.choices)
    counts: dict[int, dict[str, int]] = {}
    rows = (
        SweepEntry.objects.filter(sweep__practice=practice)
        .exclude(outcome="")
        .values_list("sweep_id", "outcome")
        .annotate(n=Count("id"))
    )
    for sweep_id, outcome, n in rows:
        counts.setdefault(sweep_id, {})[labels[outcome]] = n
    return [
        SweepSummary(
            week_starting=s.week_starting,
            patients=s.patients,
            by_outcome=counts.get(s.pk, {}),
            signed_off_by=s.signed_off_name,
            signed_off_at=s.signed_off_at,
        )
        for s in sweeps(practice)
    ]


# Changes: each a transaction with its audit entry; a signed sweep refuses them all.


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _open_sweep(practice, sweep_id: int) -> Sweep:
    found = one_for_practice(Sweep.objects.select_for_update(), practice, sweep_id)
    if found.is_signed:
        raise SweepError("This sweep is signed off and kept as evidence: it does not change.")
    return found


def record_outcome(
    *, actor: Actor, practice, sweep_id: int, entry_id: int, outcome: str, note: str, user
) -> SweepEntry:
    """A named member of staff looked at one patient and decided: no action, a flag added, or passed to a
    clinician. A later outcome replaces an earlier one until the sweep is signed off."""
    if outcome not in SweepOutcome.values:
        raise SweepError(errors=[("outcome", "Choose what you decided for this patient")])
    if outcome != SweepOutcome.NO_ACTION and not note.strip():
        raise SweepError(errors=[("note", "Say which flag you added, or which clinician you passed it to")])
    with transaction.atomic():
        found = _open_sweep(practice, sweep_id)
        entry = one_for_practice(
            SweepEntry.objects.filter(sweep=found), practice, entry_id, through="sweep__practice"
        )
        entry.outcome, entry.note = outcome, note.strip()
        entry.reviewed_at, entry.reviewed_by, entry.reviewed_by_name = (
            timezone.now(),
            user,
            _name(user) or actor.name,
        )
        entry.save()
        record(
            actor=actor,
            action="sweep.outcome",
            practice_ods=practice.ods_code,
            object_type="patient",
            object_id=entry.patient_id,
            detail={"sweep": found.pk, "outcome": outcome},
        )
    return entry


def sign_off(*, actor: Actor, practice, sweep_id: int, user) -> Sweep:
    """Sign the sweep off: only when every patient on it has an outcome (H95), by a named person."""
    name = _name(user) or actor.name
    if not name.strip():
        raise SweepError("A sweep is signed off by a named person.")
    with transaction.atomic():
        found = _open_sweep(practice, sweep_id)
        waiting = found.entries.filter(outcome="").count()
        if waiting:
            raise SweepError(
                f"{waiting} patient{' has' if waiting == 1 else 's have'} no outcome yet: every patient on the sweep "
                "is looked at before it is signed off."
            )
        found.signed_off_at, found.signed_off_by, found.signed_off_name = timezone.now(), user, name
        found.save()
        record(
            actor=actor,
            action="sweep.sign_off",
            practice_ods=practice.ods_code,
            object_type="sweep",
            object_id=found.pk,
            detail={"week_starting": found.week_starting.isoformat(), "patients": found.entries.count()},
        )
    return found
