"""The demo practice's plan: the practice's words for every section, written as a practice manager would, and
an approved version. Loaded after the DPIA's demo (the mitigations are the signed DPIA's risks); `load` is folded
into assurance/demo.py."""

import datetime

from django.utils import timezone

from recordaccess.assurance import plan as plans
from recordaccess.audit.services import Actor

WORDS = {
    "approach": {
        "why": "The partners chose this approach after the PPG meeting: most patients want access, and the "
        "safeguarding lead reviews every patient with a flag before access starts."
    },
    "dpia": {"where": "Signed copy in the IG folder on the practice's shared drive; the IG lead holds it."},
    "direct_request": {
        "how": "Patients ask on the online form on our website, on the paper form at reception, or by phone."
    },
    "requests": {
        "secure": "Requests come through the service's form or on paper; paper forms are scanned in the same day "
        "and shredded. Identity is checked in person or through the NHS App; nothing is sent by email."
    },
    "waiting_list": {
        "how": "Two GPs review for three hours each week; the practice manager checks the target."
    },
    "conversations": {
        "time": "The duty nurse holds fifteen-minute conversations on Tuesday and Thursday afternoons."
    },
    "questions": {
        "process": "The FAQ answers most questions; reception use the call guide; the inbox is answered within the "
        "policy's days; drop-ins are held monthly and the PPG reviews the questions each quarter."
    },
}
NOT_USED = {"social_media": "The practice has no social media accounts."}
REASON = "The measures approved in the DPIA apply; the reviewer checks the flag before any access."


def fill(actor: Actor, practice, today: datetime.date | None = None) -> None:
    """Write the practice's words in every section of the draft (the reasoning for each of the DPIA's risks)."""
    today = today or timezone.localdate()
    draft_plan = plans.latest(practice)
    for key in plans.KEYS:
        values = dict(WORDS.get(key, {}))
        if key == "communication":
            for i, (means, label) in enumerate(plans.MEANS):
                if means in NOT_USED:
                    values[means] = NOT_USED[means]
                else:
                    values[f"{means}_on"] = today - datetime.timedelta(days=30 - i)
                    values[means] = f"{label}: announced online access and how to decline or ask."
        elif key == "vulnerable":
            for q in plans.section(practice, draft_plan, key).questions:
                values[q.name] = REASON
        draft_plan = plans.save_section(actor=actor, practice=practice, key=key, values=values)


def load(practice, report) -> None:
    actor = Actor.system("demo")
    latest = plans.latest(practice)
    if latest is not None and latest.is_approved:
        report("practice plan versions", 0)
        return
    fill(actor, practice)
    undone = [s for s in plans.sections(practice, plans.latest(practice)) if s.status != plans.DONE]
    if undone:  # the other demos left something out: the plan stays a draft, saying what
        report("practice plan versions (a draft; not done: " + ", ".join(s.title for s in undone) + ")", 1)
        return
    plans.approve(actor=actor, practice=practice, approver_name="Demo practice manager")
    report("practice plan versions", 1)
