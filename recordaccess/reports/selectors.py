"""The reports' reads: an organisation's practices with their figures and where their DPIA and plan stand, and the
monthly return. Aggregate only: nothing here returns a patient or a field of one. Every read goes through the
owning app's selectors (practices, assurance, patients, review) and the figures (`reports.figures`)."""

import dataclasses
import datetime

from recordaccess.assurance.selectors import Assurance, assurance_of
from recordaccess.practices.selectors import organisation_pcns, organisation_practice, organisation_practices
from recordaccess.reports import figures, pomi
from recordaccess.reports.figures import Figures, Period


@dataclasses.dataclass(frozen=True)
class RollupRow:
    practice: object
    figures: Figures
    assurance: Assurance

    @property
    def granted(self) -> int:
        outcomes = self.figures.funnel.outcomes
        return outcomes.get("granted", 0) + outcomes.get("granted_redacted", 0)

    @property
    def excluded_percent(self) -> float | None:
        """The figures' share held back, else the newest exclusion snapshot's."""
        if self.figures.excluded_percent is not None:
            return self.figures.excluded_percent
        return self.assurance.excluded_percent


@dataclasses.dataclass(frozen=True)
class Column:
    key: str
    header: str
    value: object  # RollupRow -> a sortable value (None sorts last)
    numeric: bool = True


COLUMNS = [
    Column("practice", "Practice", lambda row: row.practice.name.lower(), numeric=False),
    Column("patients", "Registered patients", lambda row: row.figures.funnel.patients),
    Column("requested", "Requests", lambda row: row.figures.funnel.requested),
    Column("waiting", "Waiting now", lambda row: row.figures.waiting_now),
    Column("oldest", "Longest wait (days)", lambda row: row.figures.oldest_wait_days),
    Column("decided", "Decided", lambda row: row.figures.funnel.reviewed),
    Column("granted", "Granted", lambda row: row.granted),
    Column("decision_days", "Days to a decision (median)", lambda row: row.figures.decision_days_median),
    Column("questions", "Questions", lambda row: row.figures.questions_received),
    Column("cost", "Message cost (£)", lambda row: row.figures.cost_pence),
    Column("excluded", "Held back (%)", lambda row: row.excluded_percent),
    Column("dpia", "DPIA", lambda row: row.assurance.dpia_status, numeric=False),
    Column("plan", "Plan", lambda row: row.assurance.plan_status, numeric=False),
]
SORTS = {column.key: column for column in COLUMNS}
DEFAULT_SORT = "practice"


def rollup_rows(organisation, period: Period) -> list[RollupRow]:
    """Every practice of the organisation (an ICB's include its PCNs'), by name, with its figures and status."""
    practices = list(organisation_practices(organisation))
    statuses = assurance_of(practices)
    return [
        RollupRow(practice, found, statuses[practice.pk])
        for practice, found in figures.rollup(practices, period)
    ]


def sorted_rows(rows: list[RollupRow], key: str, descending: bool) -> list[RollupRow]:
    """Sorted by a column, practices without a value last either way, then by name."""
    column = SORTS.get(key, SORTS[DEFAULT_SORT])
    by_name = sorted(rows, key=lambda row: row.practice.name.lower())
    present = [row for row in by_name if column.value(row) is not None]
    absent = [row for row in by_name if column.value(row) is None]
    return sorted(present, key=column.value, reverse=descending) + absent


def totals(rows: list[RollupRow], period: Period) -> Figures:
    return figures.totals([row.figures for row in rows], period)


def practice_of(organisation, ods_code: str):
    """One practice of the organisation, or NotFound (a 404)."""
    return organisation_practice(organisation, ods_code)


def practice_figures(practice, period: Period) -> tuple[Figures, Assurance]:
    """One practice's figures (with its days, for the charts) and status, as its organisation's observers see them:
    what the practice's own dashboard shows."""
    return figures.practice_figures(practice, period), assurance_of([practice])[practice.pk]


def pcns(organisation):
    return organisation_pcns(organisation)


def pomi_rows(practices, end: datetime.date) -> list[pomi.PomiRow]:
    return pomi.rows(practices, end)


def organisation_pomi_rows(organisation, end: datetime.date) -> list[pomi.PomiRow]:
    return pomi.rows(organisation_practices(organisation), end)
