import datetime

import pytest
from django.utils import timezone

from recordaccess.assurance import services
from recordaccess.audit.services import Actor

ACTOR = Actor.system("tests")
TEXT = {
    "need": "Health data shown online in a new way.",
    "nature": "Patients read their record in the NHS App.",
    "scope": "All patients aged 16 and over.",
    "context": "Some patients are at risk of coercion.",
    "purposes": "Patients manage their care.",
    "lawful_basis": "Article 6(1)(c); article 9(2)(h).",
    "data_minimisation": "Levels of access and redaction.",
    "information_to_patients": "Letters, texts and posters.",
    "rights": "Patients may decline or complain.",
}
SIGN_OFF = {
    "reference": "DPIA-2026-7",
    "measures_approved_by": "Pat Morgan",
    "residual_risks_approved_by": "Dr Shah",
    "dpo_advice": "Proceed with enhanced review.",
    "dpo_advice_outcome": "accepted",
    "dpo_overruled_reason": "",
    "consultation_reviewed_by": "Pat Morgan",
    "kept_under_review_by": "Pat Morgan",
}


def review_date():
    return timezone.localdate() + datetime.timedelta(days=365)


def ready_to_sign(practice, *, high: bool = False):
    """A draft with steps 1 to 6 done: the default register, every measure approved; one risk left high if asked."""
    for slug in ("need", "processing", "necessity"):
        services.save_step(actor=ACTOR, practice=practice, slug=slug, **TEXT)
    services.add_consultation(
        actor=ACTOR,
        practice=practice,
        consulted="dpo",
        who="ICB DPO",
        held_on=timezone.localdate(),
        said="Go ahead with care.",
    )
    risks = services.add_default_register(actor=ACTOR, practice=practice)
    for i, risk in enumerate(risks):
        services.save_measures(
            actor=ACTOR,
            practice=practice,
            risk_id=risk.pk,
            measures=risk.measures,
            effect=risk.effect,
            residual_likelihood="probable" if high and i == 0 else risk.residual_likelihood,
            residual_severity="serious" if high and i == 0 else risk.residual_severity,
            approved=True,
        )
    return risks


@pytest.fixture
def signed(practice):
    def sign(high=False, **extra):
        ready_to_sign(practice, high=high)
        return services.sign_off(
            actor=ACTOR,
            practice=practice,
            signer=None,
            review_on=review_date(),
            ico_acknowledged=high,
            **(SIGN_OFF | extra),
        )

    return sign
