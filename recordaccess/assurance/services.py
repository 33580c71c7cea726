"""Changes to a practice's DPIA: each one a transaction with its audit entry, on the practice's draft version.

A signed-off version is never changed: a change needs a draft, started with `start_new_version` (which copies
the last signed version). Signing off writes the practice's DPIA record through practices' own service, so the
gate on every message (practices/readiness.py) reads what was signed."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from recordaccess.assurance import steps
from recordaccess.assurance.defaults import CONTROLS, DEFAULT_REGISTER
from recordaccess.assurance.models import Assessment, Consultation, Consulted, Effect, Risk
from recordaccess.assurance.risk import Likelihood, Severity, highest
from recordaccess.audit.services import Actor, record
from recordaccess.core.errors import DomainError
from recordaccess.core.scoping import one_for_practice
from recordaccess.practices.models import DpoAdviceOutcome, Practice, RiskLevel
from recordaccess.practices.services import update_dpia

RISK_FIELDS = ("title", "source", "likelihood", "severity", "control")
MEASURE_FIELDS = ("measures", "effect", "residual_likelihood", "residual_severity", "approved")
SIGN_OFF_FIELDS = (
    "reference",
    "measures_approved_by",
    "residual_risks_approved_by",
    "dpo_advice",
    "dpo_advice_outcome",
    "dpo_overruled_reason",
    "consultation_reviewed_by",
    "kept_under_review_by",
    "review_on",
)
ICO_WARNING = (
    "A residual risk is high: the ICO must be consulted before processing starts. Send the ICO the consultation "
    "pack (this DPIA with its risk matrix) and do not go ahead until it has replied."
)


class DpiaError(DomainError):
    """A change to the DPIA that cannot be made, in plain words."""


def _locked_practice(practice: Practice) -> Practice:
    return Practice.objects.select_for_update().get(pk=practice.pk)


def _audit(actor: Actor, practice: Practice, action: str, assessment: Assessment, **detail) -> None:
    record(
        actor=actor,
        action=action,
        practice_ods=practice.ods_code,
        object_type="assessment",
        object_id=assessment.pk,
        detail={"version": assessment.number, **detail},
    )


def _draft(actor: Actor, practice: Practice) -> Assessment:
    """The practice's draft to change, locked; the first change of all starts version 1."""
    _locked_practice(practice)
    newest = Assessment.objects.filter(practice=practice).order_by("-number").first()
    if newest is None:
        draft = Assessment.objects.create(practice=practice, number=1)
        _audit(actor, practice, "dpia_version.start", draft)
        return draft
    if newest.is_signed:
        raise DpiaError(
            f"Version {newest.number} is signed off and cannot change. Start a new version to change the DPIA."
        )
    return newest


@transaction.atomic
def start_new_version(*, actor: Actor, practice: Practice) -> Assessment:
    """A new draft copied from the last signed version (its steps, consultations and risks); the signed version
    stays as it was. Where a draft already exists, that draft."""
    _locked_practice(practice)
    newest = Assessment.objects.filter(practice=practice).order_by("-number").first()
    if newest is None or not newest.is_signed:
        return _draft(actor, practice)
    kept = [field for step in steps.STEPS for field in step.fields]
    draft = Assessment.objects.create(
        practice=practice, number=newest.number + 1, **{field: getattr(newest, field) for field in kept}
    )
    Consultation.objects.bulk_create(
        Consultation(assessment=draft, consulted=c.consulted, who=c.who, held_on=c.held_on, said=c.said)
        for c in newest.consultations.all()
    )
    copied = [f.name for f in Risk._meta.concrete_fields if f.name not in ("id", "assessment")]
    Risk.objects.bulk_create(
        Risk(assessment=draft, **{name: getattr(risk, name) for name in copied})
        for risk in newest.risks.all()
    )
    _audit(actor, practice, "dpia_version.start", draft, copied_from=newest.number)
    return draft


def _text(value) -> str:
    return str(value or "").strip()


@transaction.atomic
def save_step(*, actor: Actor, practice: Practice, slug: str, **values) -> Assessment:
    """Steps 1, 2 and 4: the words of each of the step's questions."""
    if slug not in steps.TEXT_STEPS:
        raise DpiaError("That step has no questions to save.")
    draft = _draft(actor, practice)
    fields = steps.BY_SLUG[slug].fields
    changed = {}
    for name in fields:
        if name in values and _text(values[name]) != getattr(draft, name):
            setattr(draft, name, _text(values[name]))
            changed[name] = getattr(draft, name)
    if changed:
        draft.save()
        _audit(actor, practice, "dpia_step.save", draft, step=slug, changed=sorted(changed))
    return draft


@transaction.atomic
def add_consultation(
    *, actor: Actor, practice: Practice, consulted: str, who: str, held_on: datetime.date, said: str
) -> Consultation:
    problems = []
    if consulted not in Consulted.values:
        problems.append(("consulted", "Choose who was consulted"))
    if not _text(who):
        problems.append(("who", "Enter the name of the person or group consulted"))
    if held_on is None:
        problems.append(("held_on", "Enter the date of the consultation"))
    elif held_on > timezone.localdate():
        problems.append(("held_on", "The date of the consultation must be today or in the past"))
    if not _text(said):
        problems.append(("said", "Enter what they said"))
    if problems:
        raise DpiaError(errors=problems)
    draft = _draft(actor, practice)
    entry = Consultation.objects.create(
        assessment=draft, consulted=consulted, who=_text(who), held_on=held_on, said=_text(said)
    )
    _audit(actor, practice, "dpia_consultation.add", draft, consultation=entry.pk, consulted=consulted)
    return entry


@transaction.atomic
def remove_consultation(*, actor: Actor, practice: Practice, consultation_id: int) -> None:
    entry = one_for_practice(
        Consultation.objects.all(), practice, consultation_id, through="assessment__practice"
    )
    draft = _draft(actor, practice)
    if entry.assessment_id != draft.pk:
        raise DpiaError("That consultation belongs to a signed-off version and cannot be removed.")
    entry.delete()
    _audit(actor, practice, "dpia_consultation.remove", draft, consultation=consultation_id)


def _risk_problems(values: dict) -> list[tuple[str, str]]:
    problems = []
    if not _text(values.get("title")):
        problems.append(("title", "Enter the risk, in a few words"))
    elif len(_text(values.get("title"))) > 200:
        problems.append(("title", "The risk must be 200 characters or fewer"))
    if not _text(values.get("source")):
        problems.append(("source", "Enter the source of the risk: who or what could cause the harm"))
    if values.get("likelihood") not in Likelihood.values:
        problems.append(("likelihood", "Choose how likely the harm is"))
    if values.get("severity") not in Severity.values:
        problems.append(("severity", "Choose how severe the harm would be"))
    if values.get("control") and values["control"] not in CONTROLS:
        problems.append(("control", "Choose a control from the list, or none"))
    return problems


def _editable_risk(actor: Actor, practice: Practice, risk_id: int) -> tuple[Assessment, Risk]:
    risk = one_for_practice(Risk.objects.all(), practice, risk_id, through="assessment__practice")
    draft = _draft(actor, practice)
    if risk.assessment_id != draft.pk:
        raise DpiaError("That risk belongs to a signed-off version and cannot change.")
    return draft, risk


@transaction.atomic
def add_risk(*, actor: Actor, practice: Practice, **values) -> Risk:
    problems = _risk_problems(values)
    if problems:
        raise DpiaError(errors=problems)
    draft = _draft(actor, practice)
    risk = Risk.objects.create(
        assessment=draft,
        position=draft.risks.count(),
        **{name: _text(values.get(name)) for name in RISK_FIELDS},
    )
    _audit(actor, practice, "dpia_risk.add", draft, risk=risk.pk, title=risk.title, level=risk.level)
    return risk


@transaction.atomic
def update_risk(*, actor: Actor, practice: Practice, risk_id: int, **values) -> Risk:
    problems = _risk_problems(values)
    if problems:
        raise DpiaError(errors=problems)
    draft, risk = _editable_risk(actor, practice, risk_id)
    before = {name: getattr(risk, name) for name in RISK_FIELDS}
    for name in RISK_FIELDS:
        setattr(risk, name, _text(values.get(name)))
    risk.save()
    changed = {
        name: [before[name], getattr(risk, name)]
        for name in RISK_FIELDS
        if before[name] != getattr(risk, name)
    }
    if changed:
        _audit(actor, practice, "dpia_risk.update", draft, risk=risk.pk, changed=changed, level=risk.level)
    return risk


@transaction.atomic
def remove_risk(*, actor: Actor, practice: Practice, risk_id: int) -> None:
    draft, risk = _editable_risk(actor, practice, risk_id)
    title = risk.title
    risk.delete()
    _audit(actor, practice, "dpia_risk.remove", draft, risk=risk_id, title=title)


@transaction.atomic
def save_measures(*, actor: Actor, practice: Practice, risk_id: int, **values) -> Risk:
    """Step 6 for one risk: the measures, their effect, the level left after them, and whether they are approved."""
    problems = []
    if not _text(values.get("measures")):
        problems.append(("measures", "Enter the measures that reduce or eliminate the risk"))
    if values.get("effect") not in Effect.values:
        problems.append(("effect", "Choose the measures' effect on the risk"))
    if values.get("residual_likelihood") not in Likelihood.values:
        problems.append(("residual_likelihood", "Choose how likely the harm is after the measures"))
    if values.get("residual_severity") not in Severity.values:
        problems.append(("residual_severity", "Choose how severe the harm would be after the measures"))
    if values.get("approved") not in (True, False):
        problems.append(("approved", "Say whether the measures are approved"))
    if problems:
        raise DpiaError(errors=problems)
    draft, risk = _editable_risk(actor, practice, risk_id)
    risk.measures = _text(values["measures"])
    risk.effect = values["effect"]
    risk.residual_likelihood = values["residual_likelihood"]
    risk.residual_severity = values["residual_severity"]
    risk.approved = values["approved"]
    risk.save()
    _audit(
        actor,
        practice,
        "dpia_risk.measures",
        draft,
        risk=risk.pk,
        effect=risk.effect,
        residual=risk.residual_level,
        approved=risk.approved,
    )
    return risk


@transaction.atomic
def add_default_register(*, actor: Actor, practice: Practice) -> list[Risk]:
    """The records-access register's risks this draft does not have yet, each with its control and a suggested
    measure (its approval is left for the practice to give)."""
    draft = _draft(actor, practice)
    have = set(draft.risks.values_list("default_key", flat=True))
    start = draft.risks.count()
    added = Risk.objects.bulk_create(
        Risk(
            assessment=draft,
            position=start + i,
            default_key=default.key,
            title=default.title,
            source=default.source,
            likelihood=default.likelihood,
            severity=default.severity,
            control=default.control,
            measures=default.measures,
            effect=default.effect,
            residual_likelihood=default.residual_likelihood,
            residual_severity=default.residual_severity,
        )
        for i, default in enumerate(d for d in DEFAULT_REGISTER if d.key not in have)
    )
    if added:
        _audit(actor, practice, "dpia_risk.defaults", draft, added=[risk.default_key for risk in added])
    return added


def residual_risk(assessment: Assessment) -> RiskLevel | None:
    """The highest level left: each risk's residual level, or its own level where no measure has been set."""
    return highest(risk.residual_level or risk.level for risk in assessment.risks.all())


@transaction.atomic
def sign_off(
    *, actor: Actor, practice: Practice, signer, ico_acknowledged: bool = False, **values
) -> Assessment:
    """Freeze the draft as signed off and write the practice's DPIA record (reference, dates, residual risk), which
    lets messages go out. A residual high risk is signed off only once the signer acknowledges that the ICO must
    be consulted before processing starts, and the version records it."""
    draft = _draft(actor, practice)
    today = timezone.localdate()
    problems = [(None, problem) for problem in steps.unfinished(draft)]
    if not _text(values.get("reference")):
        problems.append(("reference", "Enter the DPIA's reference"))
    if not _text(values.get("measures_approved_by")):
        problems.append(("measures_approved_by", "Enter who approved the measures"))
    if not _text(values.get("residual_risks_approved_by")):
        problems.append(("residual_risks_approved_by", "Enter who approved the residual risks"))
    if not _text(values.get("dpo_advice")):
        problems.append(("dpo_advice", "Enter a summary of the DPO's advice"))
    outcome = values.get("dpo_advice_outcome")
    if outcome not in DpoAdviceOutcome.values:
        problems.append(("dpo_advice_outcome", "Say whether the DPO's advice was accepted or overruled"))
    elif outcome == DpoAdviceOutcome.OVERRULED and not _text(values.get("dpo_overruled_reason")):
        problems.append(("dpo_overruled_reason", "Say why the DPO's advice was overruled"))
    if not _text(values.get("kept_under_review_by")):
        problems.append(("kept_under_review_by", "Enter who will keep the DPIA under review"))
    review_on = values.get("review_on")
    if review_on is None:
        problems.append(("review_on", "Enter the date of the next review"))
    elif review_on <= today:
        problems.append(("review_on", "The date of the next review must be in the future"))
    level = residual_risk(draft)
    high = level == RiskLevel.HIGH
    if high and not ico_acknowledged:
        problems.append(
            (
                "ico_acknowledged",
                "Confirm that the ICO will be consulted before processing starts: a residual risk is high",
            )
        )
    if problems:
        raise DpiaError(errors=problems)
    for name in SIGN_OFF_FIELDS:
        value = values.get(name)
        setattr(draft, name, value if name == "review_on" else _text(value))
    if draft.dpo_advice_outcome != DpoAdviceOutcome.OVERRULED:
        draft.dpo_overruled_reason = ""
    draft.residual_risk = level or ""
    draft.ico_consultation_required = high
    draft.approach = practice.approach
    draft.signed_on, draft.signed_at, draft.signed_by = today, timezone.now(), signer
    try:
        with transaction.atomic():
            draft.save()
    except IntegrityError as error:  # pragma: no cover - the practice row is locked above
        raise DpiaError("The DPIA changed while you were signing it off. Try again.") from error
    update_dpia(
        actor=actor,
        practice=practice,
        reference=draft.reference,
        completed_on=today,
        measures_approved_by=draft.measures_approved_by,
        residual_risks_approved_by=draft.residual_risks_approved_by,
        dpo_advice=draft.dpo_advice,
        dpo_advice_outcome=draft.dpo_advice_outcome,
        dpo_overruled_reason=draft.dpo_overruled_reason,
        residual_risk=draft.residual_risk,
        review_on=draft.review_on,
    )
    _audit(
        actor,
        practice,
        "dpia_version.sign_off",
        draft,
        reference=draft.reference,
        residual_risk=draft.residual_risk,
        ico_consultation_required=high,
    )
    return draft


def record_pack_download(*, actor: Actor, practice: Practice, assessment: Assessment) -> None:
    with transaction.atomic():
        _audit(actor, practice, "dpia_version.pack", assessment)
