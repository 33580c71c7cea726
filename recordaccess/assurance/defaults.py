"""The default register for online records access, each risk linked to the control in this service that
mitigates it. A practice adds it with one action and then judges each risk for itself: the likelihood and
severity here are a starting point (the BMA's DPIA names the same risks), not an assessment."""

from dataclasses import dataclass

from recordaccess.assurance.models import Effect
from recordaccess.assurance.risk import Likelihood, Severity


@dataclass(frozen=True)
class Control:
    name: str
    url_name: str  # the staff page where the control is worked
    does: str


CONTROLS = {
    "flags": Control(
        "Safeguarding flags and enhanced review",
        "staff:patients",
        "Patients with a safeguarding or coercion flag are held for enhanced review before any access.",
    ),
    "redaction": Control(
        "Redaction at review",
        "staff:waiting_list",
        "A reviewer reads the record before access and records what is redacted and why.",
    ),
    "matching": Control(
        "Matching rules",
        "staff:requests",
        "A request is matched to one registered patient on NHS number, name and date of birth before review.",
    ),
    "identity": Control(
        "Identity and proxy checks",
        "staff:requests",
        "Identity is verified by an approved method, and a proxy's authority is checked, before access.",
    ),
    "content": Control(
        "The content rules for messages",
        "staff:templates",
        "Texts and emails cannot carry clinical words; they link to the practice's page.",
    ),
    "waiting_list": Control(
        "The waiting list and reviewers' capacity",
        "staff:capacity",
        "Requests wait in a fair order, and the capacity page shows how long review will take.",
    ),
}


@dataclass(frozen=True)
class DefaultRisk:
    key: str
    title: str
    source: str
    likelihood: str
    severity: str
    control: str
    measures: str
    effect: str
    residual_likelihood: str
    residual_severity: str


DEFAULT_REGISTER = [
    DefaultRisk(
        "coercion",
        "Coercion: someone forces a patient to show their record",
        "A partner, relative or carer makes the patient open the NHS App and show them the record.",
        Likelihood.POSSIBLE,
        Severity.SERIOUS,
        "flags",
        "Patients with a coercion or safeguarding flag are held for enhanced review; access can be withheld.",
        Effect.REDUCED,
        Likelihood.REMOTE,
        Severity.SOME,
    ),
    DefaultRisk(
        "third_party",
        "Third-party information is shown to the patient",
        "Letters and free text name other people, who have not agreed to the patient reading about them.",
        Likelihood.PROBABLE,
        Severity.SOME,
        "redaction",
        "A reviewer reads the record before access and redacts third-party information.",
        Effect.REDUCED,
        Likelihood.REMOTE,
        Severity.SOME,
    ),
    DefaultRisk(
        "harmful",
        "Harmful information is seen before a clinician explains it",
        "A serious result or a diagnosis is read online before the patient has been told.",
        Likelihood.POSSIBLE,
        Severity.SERIOUS,
        "redaction",
        "The serious-harm test at review; results are filed before they show.",
        Effect.REDUCED,
        Likelihood.REMOTE,
        Severity.SOME,
    ),
    DefaultRisk(
        "wrong_patient",
        "A request is matched to the wrong patient",
        "Two patients share a name or a date of birth, or a detail is mistyped.",
        Likelihood.POSSIBLE,
        Severity.SERIOUS,
        "matching",
        "Matching needs the NHS number, name and date of birth to agree; a doubtful match waits for a person.",
        Effect.REDUCED,
        Likelihood.REMOTE,
        Severity.SOME,
    ),
    DefaultRisk(
        "proxy",
        "Proxy access is misused",
        "A proxy's authority ends or was never there: a separated parent, a lapsed power of attorney.",
        Likelihood.POSSIBLE,
        Severity.SOME,
        "identity",
        "The proxy's identity and authority are checked; proxy access ends after a set period.",
        Effect.REDUCED,
        Likelihood.REMOTE,
        Severity.SOME,
    ),
    DefaultRisk(
        "identity_fraud",
        "Someone poses as the patient",
        "A stranger asks for access with the patient's details.",
        Likelihood.REMOTE,
        Severity.SERIOUS,
        "identity",
        "Identity is verified by NHS login (P9) or an approved method at the practice.",
        Effect.REDUCED,
        Likelihood.REMOTE,
        Severity.SOME,
    ),
    DefaultRisk(
        "workload",
        "Staff workload delays review",
        "Reviewing records takes clinicians' time; requests wait longer than patients expect.",
        Likelihood.PROBABLE,
        Severity.SOME,
        "waiting_list",
        "A waiting list in a fair order, with the time to review shown from reviewers' capacity.",
        Effect.ACCEPTED,
        Likelihood.POSSIBLE,
        Severity.SOME,
    ),
    DefaultRisk(
        "messages",
        "A message reveals information about the patient",
        "A text or email is read by someone else on a shared phone or inbox.",
        Likelihood.POSSIBLE,
        Severity.SOME,
        "content",
        "Texts and emails carry no clinical words and link to the practice's page.",
        Effect.REDUCED,
        Likelihood.REMOTE,
        Severity.MINIMAL,
    ),
]
