"""The review checklist, and who may decide what.

Plain functions over the request and its review, so the rules read in one place and the decision service, the
review page and the tests all ask the same questions. A blank answer is "not considered yet": the checklist is
complete only when every question has an answer, and every "found" says what was found.

Third-party information, serious harm and coercion are clinical judgements: only a reviewer (a GP or clinician)
answers them, and the review keeps who did (H48). Reception may grant only what needs none of them: new entries
for a patient with no flag, where the practice's waiting-list policy allows it.
"""

from recordaccess.intake.models import AccessLevel
from recordaccess.practices.roles import Role
from recordaccess.review.models import Answer, Review

# (field, question, what a "found" answer must say, the field that says it)
QUESTIONS = [
    (
        "third_party",
        "Say whether the record holds information about other people (third-party information)",
        "Say which entries hold third-party information, so they can be redacted",
        "third_party_note",
    ),
    (
        "serious_harm",
        "Say whether any information is likely to cause serious harm to the patient or someone else",
        "Say which information is likely to cause serious harm",
        "serious_harm_note",
    ),
    (
        "coercion",
        "Say whether there is a risk that the patient is being coerced",
        "Say what the coercion risk is",
        "coercion_note",
    ),
    (
        "results_pending",
        "Say whether there are results waiting to be discussed with the patient",
        "Say which results are waiting to be discussed",
        "results_note",
    ),
]


# The clinical questions, each with the fields that answer it: only a reviewer may change them.
CLINICAL = {
    "third_party": ("third_party", "third_party_note"),
    "serious_harm": ("serious_harm", "serious_harm_note", "consulted"),
    "coercion": ("coercion", "coercion_note"),
}
REVIEWER_FIELDS = frozenset(name for fields in CLINICAL.values() for name in fields)


def problems(review: Review | None, request, clinical: bool = True) -> list[tuple[str, str]]:
    """What is missing from the checklist, as (field, message) pairs: none when it is complete. `clinical` is
    False for the one grant that needs no clinical judgement; then the clinical questions are not asked."""
    if review is None:
        return [("flags_considered", "Claim the request and fill in the review checklist")]
    missing = []
    if not review.flags_considered:
        missing.append(
            (
                "flags_considered",
                "Confirm you have considered the patient's safeguarding and enhanced-review flags",
            )
        )
    for name, question, found_needs, note in QUESTIONS:
        answer = getattr(review, name)
        if name in CLINICAL and not clinical:
            continue
        if not answer:
            missing.append((name, question))
        elif name in CLINICAL and not getattr(review, f"{name}_by"):
            missing.append((name, f"{question}: a reviewer (a GP or clinician) must answer this"))
        elif answer == Answer.FOUND and not getattr(review, note).strip():
            missing.append((note, found_needs))
    if clinical and review.serious_harm == Answer.FOUND and not review.consulted.strip():
        missing.append(
            (
                "consulted",
                "Say which health professional you consulted about the information likely to cause harm",
            )
        )
    if request.for_someone_else and not review.proxy_capacity:
        missing.append(
            ("proxy_capacity", "Record the patient's capacity and consent to this proxy having access")
        )
    return missing


def needs_reviewer(request, flagged: bool) -> str:
    """Why only a reviewer (a GP or clinician) may decide this request, or '' when any staff member may."""
    if flagged:
        return "The patient has a safeguarding or enhanced-review flag"
    if request.access_level == AccessLevel.HISTORIC:
        return "The full past record is only given after a clinician's review"
    if request.for_someone_else:
        return "Proxy access is only given after a clinician's review"
    return ""


def may_decide(role: str, request, flagged: bool) -> str:
    """'' when this role may decide, or the reason it may not."""
    reason = needs_reviewer(request, flagged)
    if reason and role != Role.REVIEWER:
        return f"{reason}: only a reviewer (a GP or clinician) can decide it"
    return ""


def answered_by(review: Review) -> dict[str, str]:
    """Who answered each clinical question that has an answer, for the decision to record."""
    return {
        name: getattr(review, f"{name}_by")
        for name in CLINICAL
        if getattr(review, name) and getattr(review, f"{name}_by")
    }


def reception_grant_refused(given_level: str, policy) -> str:
    """'' when reception may grant this (the patient is unflagged and asked for new entries: may_decide has
    checked), or why not."""
    if not policy.reception_may_grant:
        return "Your practice has not allowed reception to grant access: only a reviewer (a GP or clinician) can decide it"
    if given_level != AccessLevel.PROSPECTIVE:
        return "Reception may grant only new entries (prospective access): only a reviewer (a GP or clinician) can give more"
    return ""
