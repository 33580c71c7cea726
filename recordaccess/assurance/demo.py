"""The demo practice's DPIA: all seven steps, the default register with its measures approved (one risk left at
medium: staff workload), signed off. Idempotent: a practice that already has a version is left alone."""

import datetime

from django.utils import timezone

from recordaccess.assurance import demo_plan, demo_sweep, selectors, services
from recordaccess.audit.services import Actor
from recordaccess.practices.models import Membership, Role

ACTOR = Actor.system("demo")
STEPS = {
    "need": "Online access shows patients' health records in a new way, to many patients, some of them "
    "vulnerable: the ICO's criteria for a DPIA (special category data, at scale, new technology).",
    "nature": "Patients read their GP record in the NHS App. Requests, identity checks and review decisions are "
    "kept in this service; the record itself stays in the clinical system.",
    "scope": "About 9,000 registered patients aged 16 and over; coded entries, free text, letters and results.",
    "context": "Patients expect to see their record. Some are at risk of coercion or domestic abuse; some records "
    "hold third-party information.",
    "purposes": "Patients understand and manage their care; fewer calls for results; the contract's duty met.",
    "lawful_basis": "UK GDPR article 6(1)(c) and (e); article 9(2)(h). GMS contract regulation 71ZA.",
    "data_minimisation": "Levels of access; review before historic access; redaction of third-party information.",
    "information_to_patients": "Texts, letters, posters, the website and the privacy notice name this DPIA.",
    "rights": "Patients may decline, ask for more, complain, or ask for a correction at reception or online.",
}
CONSULTED = [
    (
        "dpo",
        "ICB data protection officer",
        "Proceed with a hybrid model and enhanced review for flagged patients.",
    ),
    ("clinicians", "Partners' meeting", "Review capacity is the constraint: keep a waiting list."),
    ("ppg", "Patient participation group", "Patients want access; worried about shared phones."),
]


def load(*, practice, report) -> None:
    """The DPIA through its seven steps, the weekly safety sweeps and the exclusion watch
    (assurance/demo_sweep.py), then the plan that cites them (assurance/demo_plan.py)."""
    _load_dpia(practice=practice, report=report)
    demo_sweep.load(practice=practice, report=report)
    demo_plan.load(practice=practice, report=report)


def _load_dpia(*, practice, report) -> None:
    if selectors.latest(practice) is not None:
        report("DPIA versions", 0)
        return
    admin = (
        Membership.objects.filter(practice=practice, role=Role.ADMINISTRATOR).select_related("user").first()
    )
    for slug in ("need", "processing", "necessity"):
        services.save_step(actor=ACTOR, practice=practice, slug=slug, **STEPS)
    held_on = timezone.localdate() - datetime.timedelta(days=30)
    for consulted, who, said in CONSULTED:
        services.add_consultation(
            actor=ACTOR, practice=practice, consulted=consulted, who=who, held_on=held_on, said=said
        )
    for risk in services.add_default_register(actor=ACTOR, practice=practice):
        services.save_measures(
            actor=ACTOR,
            practice=practice,
            risk_id=risk.pk,
            measures=risk.measures,
            effect=risk.effect,
            residual_likelihood=risk.residual_likelihood,
            residual_severity=risk.residual_severity,
            approved=True,
        )
    services.sign_off(
        actor=ACTOR,
        practice=practice,
        signer=admin.user if admin else None,
        reference="RS-DPIA-2023-01",
        measures_approved_by="Pat Morgan, practice manager",
        residual_risks_approved_by="Dr Amira Shah, partner",
        dpo_advice="Proceed with a hybrid model: enhanced review for patients with safeguarding codes.",
        dpo_advice_outcome="accepted",
        dpo_overruled_reason="",
        consultation_reviewed_by="Pat Morgan, practice manager",
        kept_under_review_by="Pat Morgan, practice manager",
        review_on=timezone.localdate() + datetime.timedelta(days=365),
    )
    report("DPIA versions", 1)
