"""The ICO's seven steps: each one's page, title and status (done, in progress, not started) for one version."""

from dataclasses import dataclass

DONE, IN_PROGRESS, NOT_STARTED = "Done", "In progress", "Not started"


@dataclass(frozen=True)
class Step:
    number: int
    slug: str  # its page: dpia/<slug>/
    title: str
    fields: tuple[str, ...] = ()  # the assessment's own fields for the steps that are text


STEPS = [
    Step(1, "need", "Identify the need for a DPIA", ("need",)),
    Step(2, "processing", "Describe the processing", ("nature", "scope", "context", "purposes")),
    Step(3, "consultation", "Consultation"),
    Step(
        4,
        "necessity",
        "Necessity and proportionality",
        ("lawful_basis", "data_minimisation", "information_to_patients", "rights"),
    ),
    Step(5, "risks", "Identify and assess risks"),
    Step(6, "measures", "Measures to reduce the risks"),
    Step(7, "sign-off", "Sign off and record outcomes"),
]
BY_SLUG = {step.slug: step for step in STEPS}
TEXT_STEPS = {"need", "processing", "necessity"}


def _of_fields(assessment, fields) -> str:
    filled = [bool(getattr(assessment, name).strip()) for name in fields]
    return DONE if all(filled) else IN_PROGRESS if any(filled) else NOT_STARTED


def status(assessment, step: Step, risks=None, consultations=None) -> str:
    """How far this version has got with one step. `risks` and `consultations` may be passed when already read."""
    if assessment is None:
        return NOT_STARTED
    if step.fields:
        return _of_fields(assessment, step.fields)
    if step.slug == "consultation":
        entries = list(assessment.consultations.all()) if consultations is None else consultations
        if not entries:
            return NOT_STARTED
        return DONE if any(entry.consulted == "dpo" for entry in entries) else IN_PROGRESS
    risks = list(assessment.risks.all()) if risks is None else risks
    if step.slug == "risks":
        return DONE if risks else NOT_STARTED
    if step.slug == "measures":
        measured = [risk.measured for risk in risks]
        if risks and all(measured):
            return DONE
        started = any(risk.measures.strip() or risk.effect or risk.residual_likelihood for risk in risks)
        return IN_PROGRESS if started else NOT_STARTED
    return DONE if assessment.is_signed else NOT_STARTED


def statuses(assessment) -> list[tuple[Step, str]]:
    if assessment is None:
        return [(step, NOT_STARTED) for step in STEPS]
    risks, consultations = list(assessment.risks.all()), list(assessment.consultations.all())
    return [(step, status(assessment, step, risks, consultations)) for step in STEPS]


def unfinished(assessment) -> list[str]:
    """What stops a version being signed off: each of steps 1 to 6 not done, in words."""
    problems = []
    for step, state in statuses(assessment)[:6]:
        if state != DONE:
            problems.append(f"Step {step.number}, {step.title[0].lower()}{step.title[1:]}, is not done.")
    return problems
