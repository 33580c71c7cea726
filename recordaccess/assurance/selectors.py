"""Reads of a practice's DPIA versions, always scoped to one practice."""

from django.db.models import Prefetch

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
