"""The weekly safety sweep (issue 15 item 2). `sweep_record` is what the plan's export shows of it; the sweep's
models, task and pages fill the rest of this module."""

import dataclasses
import datetime


@dataclasses.dataclass(frozen=True)
class SweepSummary:
    """One week's sweep as evidence: how many patients it named, what was found, who signed it off."""

    week_starting: datetime.date
    patients: int
    by_outcome: dict[str, int]  # outcome label → patients
    signed_off_by: str
    signed_off_at: datetime.datetime | None


def sweep_record(practice) -> list[SweepSummary]:
    """The practice's sweeps, newest first."""
    return []
