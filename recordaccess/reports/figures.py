"""How far a practice (or a group of practices) has got: the figures of the dashboard, the roll-up, the CSVs
and the API, computed in one place.

INTERIM: this first version counts a few figures live so the pages and the API can be built against its shape;
the summary tables and every figure replace it. Keep the names and shapes below (other apps use them).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

CHANNELS = ("sms", "email", "letter")
OUTCOMES = ("granted", "granted_redacted", "deferred", "declined")
PREFERENCES = ("not_known", "wants_access", "no_access", "has_questions")


@dataclass(frozen=True)
class Period:
    """Days from start to end, both included, in the practice's local time (Europe/London)."""

    start: date
    end: date


@dataclass
class Funnel:
    """Cumulative to the end of the period: how many got this far."""

    patients: int = 0  # registered at the end of the period
    told: dict[str, int] = field(default_factory=dict)  # by channel: patients sent a message that way
    told_any: int = 0
    delivered: int = 0  # patients with a message delivered (a letter sent counts)
    answered: int = 0  # patients who told us their preference
    requested: int = 0  # requests for access received
    verified: int = 0  # of those, identity verified
    reviewed: int = 0  # of those, decided
    outcomes: dict[str, int] = field(default_factory=dict)  # OUTCOMES -> count


@dataclass
class Day:
    """One day of the charts."""

    day: date
    waiting: int = 0  # on the waiting list at the end of the day
    oldest_wait_days: int | None = None
    requests: int = 0  # received that day
    decisions: int = 0  # decided that day
    messages: dict[str, int] = field(default_factory=dict)  # sent that day, by channel


@dataclass
class Figures:
    """One practice's figures over a period, or the totals of several practices (`practices` > 1)."""

    period: Period
    practices: int = 1
    funnel: Funnel = field(default_factory=Funnel)
    preferences: dict[str, int] = field(default_factory=dict)  # PREFERENCES -> patients, at the end
    waiting_now: int = 0  # on the waiting list at the end of the period
    oldest_wait_days: int | None = None
    decision_days_median: float | None = None  # request to decision, for decisions in the period
    decision_days_p90: float | None = None
    messages: dict[str, dict[str, int]] = field(
        default_factory=dict
    )  # channel -> status -> count, in the period
    cost_pence: float = 0.0  # estimated Notify cost of the period's messages
    places_offered: int = 0  # conversation places in the period
    places_used: int = 0
    questions_received: int = 0  # in the period
    questions_open: int = 0  # at the end of the period
    answer_hours_median: float | None = None  # questions answered in the period
    excluded_percent: float | None = None  # share of patients held back, the latest snapshot by the end
    updated_at: datetime | None = None  # when the figures were last refreshed
    series: list[Day] = field(default_factory=list)  # one a day of the period (empty in a roll-up's rows)


def practice_figures(practice, period: Period) -> Figures:
    """INTERIM live count of a few figures."""
    from recordaccess.intake.models import AccessRequest, Wish
    from recordaccess.patients.models import Patient, RegistrationStatus
    from recordaccess.review.models import Decision

    figures = Figures(period=period)
    figures.funnel.patients = Patient.objects.filter(
        practice=practice, status=RegistrationStatus.REGISTERED
    ).count()
    requests = AccessRequest.objects.filter(practice=practice, wish=Wish.WANTS_ACCESS)
    figures.funnel.requested = requests.count()
    figures.waiting_now = requests.filter(on_list=True).count()
    decisions = Decision.objects.filter(practice=practice)
    figures.funnel.outcomes = {outcome: decisions.filter(outcome=outcome).count() for outcome in OUTCOMES}
    figures.funnel.reviewed = sum(figures.funnel.outcomes.values())
    return figures


def rollup(practices, period: Period) -> list[tuple[object, Figures]]:
    """Each practice with its figures (no series), in the order given."""
    return [(practice, practice_figures(practice, period)) for practice in practices]


def totals(rows: list[Figures], period: Period) -> Figures:
    """The figures of several practices together: counts summed, medians and centiles over all of them."""
    total = Figures(period=period, practices=len(rows))
    for figures in rows:
        total.funnel.patients += figures.funnel.patients
        total.funnel.requested += figures.funnel.requested
        total.funnel.reviewed += figures.funnel.reviewed
        for outcome in OUTCOMES:
            total.funnel.outcomes[outcome] = total.funnel.outcomes.get(
                outcome, 0
            ) + figures.funnel.outcomes.get(outcome, 0)
        total.waiting_now += figures.waiting_now
    return total
