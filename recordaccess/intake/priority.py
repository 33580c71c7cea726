"""The waiting list's order, in one pure module: points for a clinical need, for a flag that demands enhanced
review, for asking only for new entries, and for every day waited, so no one waits forever.

The score is base + points_per_day × days waited. Days waited grow alike for everyone, so ordering by the score
now is ordering by `base − points_per_day × day received`: that key is stored on each request and indexed, and
the list is one indexed read however long it is. The reasons are worked out again for the rows on screen.
"""

import datetime
from dataclasses import dataclass

EPOCH = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
NEEDS = {
    "long_term_condition": "Managing a long-term condition",
    "carer": "A carer, or cared for",
    "other": "Another clinical reason",
}


@dataclass(frozen=True)
class Weights:
    """A practice's policy (intake/models.py, where the defaults are), as plain numbers."""

    need: float
    risk_flag: float
    prospective: float
    per_day: float
    target_days: int

    @classmethod
    def of(cls, policy) -> "Weights":
        return cls(
            policy.need_points,
            policy.risk_flag_points,
            policy.prospective_points,
            policy.points_per_day,
            policy.target_days,
        )


def base(*, need: str, risk_flag: bool, access_level: str, weights: Weights) -> float:
    return (
        (weights.need if need else 0)
        + (weights.risk_flag if risk_flag else 0)
        + (weights.prospective if access_level == "prospective" else 0)
    )


def days_since_epoch(moment: datetime.datetime) -> float:
    return (moment - EPOCH).total_seconds() / 86_400


def key(*, base_points: float, received_at: datetime.datetime, weights: Weights) -> float:
    """Larger comes first. Equal to the score minus the same amount for everyone."""
    return base_points - weights.per_day * days_since_epoch(received_at)


def days_waiting(received_at: datetime.datetime, now: datetime.datetime) -> int:
    return max(0, (now - received_at).days)


def reasons(
    *, need: str, risk_flag: bool, access_level: str, received_at, now, weights: Weights
) -> list[tuple]:
    """(reason, points) for the row on screen, largest first."""
    waited = days_waiting(received_at, now)
    found = [(f"Waiting {waited} day{'s' if waited != 1 else ''}", round(weights.per_day * waited, 1))]
    if need:
        found.append((f"Clinical need: {NEEDS.get(need, need)}", weights.need))
    if risk_flag:
        found.append(("Flag demands enhanced review", weights.risk_flag))
    if access_level == "prospective":
        found.append(("Asked only for new entries", weights.prospective))
    return sorted((r for r in found if r[1]), key=lambda r: -r[1])


def past_target(received_at, now, weights: Weights) -> bool:
    return days_waiting(received_at, now) > weights.target_days
