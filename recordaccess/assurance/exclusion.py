"""The exclusion watch (issue 15 item 3): the share of a practice's registered patients held back from online
access, by reason, over time. NHS England asked any practice excluding more than half of its patients for an
action plan; a quick rise is a warning too. Counts only, never a patient's name or number.

Held back, for each registered patient (one reason each, the first that applies):
- withheld: access withheld after review (`AccessStatus.WITHHELD`);
- enhanced review: waiting for enhanced review before access (`AccessStatus.ENHANCED_REVIEW`);
- flagged: no access yet and a current code that calls for enhanced review (a 104 no later 106 overrides, a
  safeguarding or domestic-abuse code: `patients.flags.patients_needing_review`).
A patient who declined access themselves is not held back by the practice, and is not counted.
"""

import dataclasses
import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q

from recordaccess.assurance.models import ExclusionSnapshot, share_of
from recordaccess.patients.flags import patients_needing_review
from recordaccess.patients.models import AccessStatus, Patient, RegistrationStatus
from recordaccess.practices.models import Practice

TRIGGER_PER_CENT = 50  # NHS England's trigger for an action plan: more than half of registered patients
RISE_POINTS = 10  # a rise of more than this many percentage points...
RISE_DAYS = 28  # ...within this many days is a warning too
REASONS = {
    "withheld": "Access withheld after review",
    "enhanced_review": "Waiting for enhanced review",
    "flagged": "A code calls for review before access",
}


@dataclasses.dataclass(frozen=True)
class ExclusionWarning:
    crossed: bool  # more than TRIGGER_PER_CENT held back
    rise: float | None  # percentage points risen within RISE_DAYS, when more than RISE_POINTS
    snapshot: ExclusionSnapshot
    plan: str  # the drafted action plan


def count_now(practice) -> tuple[int, dict[str, int]]:
    """(registered patients, held back by reason) now."""
    registered = Patient.objects.filter(practice=practice, status=RegistrationStatus.REGISTERED)
    totals = registered.aggregate(
        registered=Count("pk"),
        withheld=Count("pk", filter=Q(access_status=AccessStatus.WITHHELD)),
        enhanced_review=Count("pk", filter=Q(access_status=AccessStatus.ENHANCED_REVIEW)),
    )
    waiting = registered.filter(access_status=AccessStatus.NOT_DECIDED).values("pk")
    flagged = len(patients_needing_review(waiting))
    return totals["registered"], {
        "withheld": totals["withheld"],
        "enhanced_review": totals["enhanced_review"],
        "flagged": flagged,
    }


def take_snapshot(practice, *, day: datetime.date) -> tuple[ExclusionSnapshot, bool]:
    """The practice's snapshot for `day`, taken now if it has none. Idempotent per practice per day."""
    existing = ExclusionSnapshot.objects.filter(practice=practice, day=day).first()
    if existing is not None:
        return existing, False
    registered, by_reason = count_now(practice)
    try:
        with transaction.atomic():
            made = ExclusionSnapshot.objects.create(
                practice=practice,
                day=day,
                registered=registered,
                held_back=sum(by_reason.values()),
                by_reason=by_reason,
            )
    except IntegrityError:
        return ExclusionSnapshot.objects.get(practice=practice, day=day), False
    return made, True


def take_due(today: datetime.date) -> int:
    """Today's snapshot for every practice that lacks one: the periodic task's work."""
    made = 0
    for practice in Practice.objects.exclude(exclusion_snapshots__day=today).order_by("pk"):
        made += take_snapshot(practice, day=today)[1]
    return made


# Reads, scoped to one practice: counts only.


def history(practice, *, days: int = 91) -> list[ExclusionSnapshot]:
    """The practice's snapshots over the `days` days up to its newest, oldest first: one query (a practice has at
    most one a day, so its newest `days` rows hold them all)."""
    newest_first = list(ExclusionSnapshot.objects.filter(practice=practice).order_by("-day")[:days])
    if not newest_first:
        return []
    since = newest_first[0].day - datetime.timedelta(days=days)
    return [s for s in reversed(newest_first) if s.day > since]


def _rise(points: list[tuple[datetime.date, float]]) -> float:
    """Percentage points the newest share (the last (day, share)) is above the lowest of the RISE_DAYS before it."""
    if not points:
        return 0.0
    newest_day, newest_share = points[-1]
    window = [share for day, share in points if newest_day - datetime.timedelta(days=RISE_DAYS) <= day]
    return round(newest_share - min(window), 1)


def rise_within(snapshots: list[ExclusionSnapshot]) -> float:
    """Percentage points the newest share is above the lowest share of the RISE_DAYS before it."""
    return _rise([(s.day, s.share) for s in snapshots])


def warning(practice) -> ExclusionWarning | None:
    """The warning for the practice's newest snapshot, with its drafted action plan; None when all is well."""
    snapshots = history(practice, days=RISE_DAYS + 1)
    if not snapshots:
        return None
    newest = snapshots[-1]
    rise = rise_within(snapshots)
    crossed = newest.share > TRIGGER_PER_CENT
    risen = rise > RISE_POINTS
    if not (crossed or risen):
        return None
    return ExclusionWarning(
        crossed, rise if risen else None, newest, action_plan(practice, newest, rise if risen else None)
    )


@dataclasses.dataclass(frozen=True)
class ExclusionStatus:
    """A practice's newest share held back and whether it warns (as `warning` decides it), without the plan."""

    day: datetime.date
    share: float
    crossed: bool  # more than TRIGGER_PER_CENT held back
    rise: float | None  # percentage points risen within RISE_DAYS, when more than RISE_POINTS


def statuses_for(practices) -> dict[int, ExclusionStatus | None]:
    """Each practice's exclusion status by practice id (None with no snapshot yet), in two queries of plain rows
    whatever the number of practices: the organisation roll-up's column."""
    ids = [practice.pk for practice in practices]
    newest = dict(
        ExclusionSnapshot.objects.filter(practice_id__in=ids)
        .values("practice_id")
        .annotate(day=Max("day"))
        .values_list("practice_id", "day")
    )
    points: dict[int, list[tuple[datetime.date, float]]] = {pk: [] for pk in ids}
    if newest:
        since = min(newest.values()) - datetime.timedelta(days=RISE_DAYS + 1)
        rows = (
            ExclusionSnapshot.objects.filter(practice_id__in=list(newest), day__gt=since)
            .order_by("day")
            .values_list("practice_id", "day", "held_back", "registered")
        )
        for pk, day, held_back, registered in rows:
            if day > newest[pk] - datetime.timedelta(days=RISE_DAYS + 1):
                points[pk].append((day, share_of(held_back, registered)))
    result: dict[int, ExclusionStatus | None] = {}
    for pk, found in points.items():
        if not found:
            result[pk] = None
            continue
        day, share = found[-1]
        rise = _rise(found)
        result[pk] = ExclusionStatus(
            day, share, share > TRIGGER_PER_CENT, rise if rise > RISE_POINTS else None
        )
    return result


def warnings_count(practice, user=None) -> int:
    """The overview's item for administrators: 1 when the newest snapshot warns."""
    return int(warning(practice) is not None)


def action_plan(practice, snapshot: ExclusionSnapshot, rise: float | None) -> str:
    """A draft the practice can copy into its plan: the figures, the reasons, and the review it commits to."""
    lines = [
        f"Action plan: online access to records at {practice.name} ({practice.ods_code})",
        "",
        f"On {snapshot.day:%d %B %Y}, {snapshot.held_back:,} of our {snapshot.registered:,} registered patients "
        f"({snapshot.share}%) were held back from online access to their records.",
    ]
    if snapshot.share > TRIGGER_PER_CENT:
        lines.append(
            f"This is more than {TRIGGER_PER_CENT}% of our patients, the level at which NHS England asks a practice "
            "for an action plan."
        )
    if rise is not None:
        lines.append(f"The share rose by {rise} percentage points within {RISE_DAYS} days.")
    lines += ["", "Why patients are held back:"]
    for key, label in REASONS.items():
        count = snapshot.by_reason.get(key, 0)
        lines.append(f"- {label}: {count:,} patients")
    lines += [
        "",
        "What we will do:",
        "- Review every patient waiting for enhanced review, oldest first, and record each decision, so that no "
        "patient is held back only because the review has not happened.",
        "- Check that each code calling for review (104, safeguarding, domestic abuse) still applies, and record a "
        "106 where a clinician decides review is not indicated.",
        "- Give patients whose access is withheld a reason and a date when the decision will be looked at again.",
        "- Set aside clinicians' time for reviews each week and report the share held back to the partners monthly.",
        f"- Aim to bring the share held back below {TRIGGER_PER_CENT}% and review this plan within 3 months.",
        "",
        "Agreed by: ____________________    Date: ____________",
    ]
    return "\n".join(lines)
