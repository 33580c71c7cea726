"""Reads of a practice's DPIA versions, always scoped to one practice."""

import dataclasses
import datetime

from django.db.models import Max, Prefetch
from django.utils import timezone

from recordaccess.assurance.models import Assessment, Consultation, ExclusionSnapshot, Plan, Risk, Sweep
from recordaccess.core.errors import NotFound
from recordaccess.core.scoping import one_for_practice
from recordaccess.practices.models import Dpia
from recordaccess.practices.selectors import dpia_review_due  # noqa: F401 - the home item counts it

_WITH_ROWS = [
    Prefetch("risks", queryset=Risk.objects.order_by("position", "id")),
    Prefetch("consultations", queryset=Consultation.objects.order_by("held_on", "id")),
]


def latest(practice) -> Assessment | None:
    """The newest version (the draft, if there is one), with its risks and consultations."""
    return (
        Assessment.objects.filter(practice=practice).prefetch_related(*_WITH_ROWS).order_by("-number").first()
    )


def latest_signed(practice) -> Assessment | None:
    return (
        Assessment.objects.filter(practice=practice, signed_at__isnull=False)
        .prefetch_related(*_WITH_ROWS)
        .order_by("-number")
        .first()
    )


def versions(practice):
    return Assessment.objects.filter(practice=practice).select_related("signed_by").order_by("-number")


def version(practice, number) -> Assessment:
    found = (
        Assessment.objects.filter(practice=practice, number=number)
        .select_related("signed_by")
        .prefetch_related(*_WITH_ROWS)
        .first()
    )
    if found is None:
        raise NotFound("Not found")
    return found


def risk(practice, risk_id) -> Risk:
    return one_for_practice(
        Risk.objects.select_related("assessment"), practice, risk_id, through="assessment__practice"
    )


def approach_changed_since_sign_off(practice, user=None) -> int:
    """1 when the practice's approach is not the one its last signed-off DPIA assessed: the overview's reminder."""
    signed = (
        Assessment.objects.filter(practice=practice, signed_at__isnull=False)
        .order_by("-number")
        .values_list("approach", flat=True)
        .first()
    )
    return int(signed is not None and signed != practice.approach)


@dataclasses.dataclass(frozen=True)
class Assurance:
    """Where a practice's DPIA and plan stand, and its exclusion warning: what an organisation's roll-up shows
    beside the figures. No patient in it."""

    dpia_recorded: bool  # the practice's DPIA reference and completion date (practices.Dpia)
    dpia_completed_on: datetime.date | None
    dpia_review_on: datetime.date | None
    dpia_review_due: bool  # the review date has come
    dpia_signed_version: int | None  # the newest signed version of the DPIA in this service
    plan_approved_version: int | None
    plan_draft: bool  # a draft plan (a new version after the approved one, or the first) is being written
    excluded_percent: float | None  # the newest exclusion snapshot's share held back
    excluded_on: datetime.date | None
    exclusion_crossed: bool  # more than half held back (NHS England asks for an action plan)
    exclusion_rise: float | None  # percentage points risen quickly, when that warns

    @property
    def exclusion_warns(self) -> bool:
        return self.exclusion_crossed or self.exclusion_rise is not None

    @property
    def dpia_status(self) -> str:
        if not self.dpia_recorded:
            return "Not recorded"
        return "Review due" if self.dpia_review_due else "Recorded"

    @property
    def plan_status(self) -> str:
        if self.plan_approved_version is not None:
            return f"Version {self.plan_approved_version} approved" + (
                ", new draft" if self.plan_draft else ""
            )
        return "Draft" if self.plan_draft else "None"


def assurance_of(practices) -> dict[int, Assurance]:
    """Each practice's DPIA, plan and exclusion status, by practice id, in a fixed number of queries."""
    from recordaccess.assurance.exclusion import statuses_for

    practices = list(practices)
    ids = [practice.pk for practice in practices]
    today = timezone.localdate()
    dpias = {dpia.practice_id: dpia for dpia in Dpia.objects.filter(practice_id__in=ids)}
    signed = dict(
        Assessment.objects.filter(practice_id__in=ids, signed_at__isnull=False)
        .values("practice_id")
        .annotate(newest=Max("number"))
        .values_list("practice_id", "newest")
    )
    approved = dict(
        Plan.objects.filter(practice_id__in=ids, approved_at__isnull=False)
        .values("practice_id")
        .annotate(newest=Max("number"))
        .values_list("practice_id", "newest")
    )
    drafts = set(
        Plan.objects.filter(practice_id__in=ids, approved_at__isnull=True).values_list(
            "practice_id", flat=True
        )
    )
    exclusion = statuses_for(practices)
    result = {}
    for pk in ids:
        dpia = dpias.get(pk)
        status = exclusion.get(pk)
        result[pk] = Assurance(
            dpia_recorded=bool(dpia and dpia.is_recorded),
            dpia_completed_on=dpia.completed_on if dpia else None,
            dpia_review_on=dpia.review_on if dpia else None,
            dpia_review_due=bool(dpia and dpia.review_on and dpia.review_on <= today),
            dpia_signed_version=signed.get(pk),
            plan_approved_version=approved.get(pk),
            plan_draft=pk in drafts,
            excluded_percent=status.share if status else None,
            excluded_on=status.day if status else None,
            exclusion_crossed=bool(status and status.crossed),
            exclusion_rise=status.rise if status else None,
        )
    return result


def practice_dpia(practice) -> Dpia | None:
    """The practice's DPIA record, as the gate on every message reads it."""
    return Dpia.objects.filter(practice=practice).first()


def audit_names(sender, *, practice, wanted: dict, **kwargs) -> dict:
    """Names for the audit trail's page (`practices.signals.audit_names`): each DPIA and plan version by its
    number, each sweep by its week, only of this practice (the trail records the row's id, which staff never see)."""

    def ids(object_type: str) -> list[int]:
        return [int(i) for i in wanted.get(object_type, ()) if str(i).isdigit() and len(str(i)) < 12]

    names = {
        ("assessment", str(pk)): f"version {number}"
        for pk, number in Assessment.objects.filter(practice=practice, pk__in=ids("assessment")).values_list(
            "pk", "number"
        )
    }
    names.update(
        (("plan", str(pk)), f"version {number}")
        for pk, number in Plan.objects.filter(practice=practice, pk__in=ids("plan")).values_list(
            "pk", "number"
        )
    )
    names.update(
        (("sweep", str(pk)), f"week of {week:%-d %B %Y}")
        for pk, week in Sweep.objects.filter(practice=practice, pk__in=ids("sweep")).values_list(
            "pk", "week_starting"
        )
    )
    return names


def exclusion_counts(practice) -> list[tuple]:
    """(day, registered, held back) of each daily exclusion snapshot, oldest first: counts only."""
    return list(
        ExclusionSnapshot.objects.filter(practice=practice)
        .order_by("day")
        .values_list("day", "registered", "held_back")
    )
