"""The practice plan (issue 15 item 4): a section for each key consideration of the guidance, filled in from what
the service knows, with the practice's own words where reasoning is needed; each section's status (done, in
progress, missing), what is missing and the page where it is put right; versions, approval and sharing.

The service's facts are read each time a draft is shown. Approving a version freezes its `snapshot` (the plan's
blocks, as the exports lay them out, and each section's status), so an approved version reads the same however
the service changes later; the next change starts a new draft copied from it.

Mitigations for vulnerable patients come only from the last signed-off DPIA, and only measures approved there
count as done (hazard H98: a plan shared with the ICB must never state a mitigation the practice has not
approved and the service does not apply). Only an approved version can be recorded as shared.
"""

import dataclasses
import datetime

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from recordaccess.assurance import selectors as dpia_selectors
from recordaccess.assurance.defaults import CONTROLS
from recordaccess.assurance.models import Plan, PlanShare, SharedWith
from recordaccess.audit.services import Actor, record
from recordaccess.conversations import selectors as conversations
from recordaccess.core.errors import DomainError, NotFound
from recordaccess.intake import selectors as intake
from recordaccess.intake.models import Route
from recordaccess.intake.waiting_list import policy_for
from recordaccess.outreach import selectors as outreach
from recordaccess.practices.models import Approach, Practice
from recordaccess.questions import faq, ppg
from recordaccess.questions import selectors as questions
from recordaccess.review import selectors as review

DONE, IN_PROGRESS, MISSING = "Done", "In progress", "Missing"
FORMATS = {"pdf": "PDF", "docx": "Word document", "md": "Markdown"}
MEANS = [
    ("sms", "Text messages (SMS)"),
    ("letters", "Letters"),
    ("posters", "Posters in the practice"),
    ("website", "The practice's website"),
    ("social_media", "Social media"),
    ("consultations", "In consultations"),
]


class PlanError(DomainError):
    """A change to the plan that cannot be made, in plain words."""


@dataclasses.dataclass(frozen=True)
class Question:
    """One thing the practice writes in a section: a field of the section's form."""

    name: str
    label: str
    hint: str = ""
    kind: str = "text"  # text | date
    required: bool = True  # needed for the section to be done


@dataclasses.dataclass
class Section:
    key: str
    title: str
    status: str = MISSING
    facts: list[str] = dataclasses.field(default_factory=list)
    table: dict | None = None  # {"caption", "head", "rows"}
    questions: list[Question] = dataclasses.field(default_factory=list)
    words: dict = dataclasses.field(default_factory=dict)
    missing: list[str] = dataclasses.field(default_factory=list)
    fix: str = ""  # the staff page where the service's part is put right
    fix_label: str = ""


TITLES = {
    "approach": "The agreed approach and why",
    "dpia": "The DPIA and where it is kept",
    "communication": "How patients are told",
    "direct_request": "Whether patients need to ask",
    "requests": "How requests are accepted and kept secure",
    "waiting_list": "The waiting list and its target",
    "conversations": "Time set aside for conversations",
    "vulnerable": "Mitigations for vulnerable patients",
    "questions": "How patients' questions are answered",
}
KEYS = list(TITLES)


def _date(value) -> str:
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return f"{value.day} {value:%B %Y}"


def _status(done: list[bool]) -> str:
    return DONE if all(done) else IN_PROGRESS if any(done) else MISSING


def _words(plan: Plan | None, key: str) -> dict:
    return dict((plan.words or {}).get(key, {})) if plan else {}


def _ask(section: Section, plan, *questions_asked: Question) -> list[bool]:
    """Attach the section's questions and the practice's answers; one bool per required question answered."""
    section.questions = list(questions_asked)
    section.words = _words(plan, section.key)
    answered = []
    for q in questions_asked:
        filled = bool(str(section.words.get(q.name, "")).strip())
        if q.required:
            answered.append(filled)
            if not filled:
                section.missing.append(f"Write {q.label[0].lower()}{q.label[1:]}.")
    return answered


def _approach(practice, plan) -> Section:
    s = Section("approach", TITLES["approach"], fix="staff:practice_edit", fix_label="The practice's details")
    s.facts.append(f"The practice's approach: {Approach(practice.approach).label}.")
    agreed = practice.approach_agreed_on is not None
    if agreed:
        s.facts.append(f"Agreed on {_date(practice.approach_agreed_on)}.")
    else:
        s.missing.append("Record the date the practice agreed its approach.")
    if practice.go_live_on:
        s.facts.append(f"Online access starts on {_date(practice.go_live_on)}.")
    answered = _ask(s, plan, Question("why", "Why the practice chose this approach"))
    s.status = _status([agreed, *answered])
    return s


def _dpia(practice, plan) -> Section:
    s = Section("dpia", TITLES["dpia"], fix="staff:dpia_overview", fix_label="The DPIA step by step")
    signed = dpia_selectors.latest_signed(practice)
    record_ = dpia_selectors.practice_dpia(practice)
    if signed is not None:
        s.facts.append(
            f"DPIA version {signed.number}, reference {signed.reference}, signed off on {_date(signed.signed_on)}"
            f"; overall risk left after the measures: {signed.get_residual_risk_display().lower()}."
        )
        if signed.review_on:
            s.facts.append(f"It is due for review on {_date(signed.review_on)}.")
        if signed.ico_consultation_required:
            s.facts.append("A residual risk is high: the ICO is consulted before processing starts.")
    else:
        s.missing.append("Sign off the DPIA (step 7 of the DPIA step by step).")
    if record_ is not None and record_.url:
        s.facts.append(f"The DPIA is published at {record_.url}.")
    answered = _ask(
        s,
        plan,
        Question(
            "where",
            "Where the DPIA is kept",
            "For example the shared drive's folder, or who holds the signed copy.",
            required=not (record_ is not None and record_.url),
        ),
    )
    s.status = (
        DONE if signed is not None and all(answered) else IN_PROGRESS if signed or any(answered) else MISSING
    )
    return s


def _communication(practice, plan) -> Section:
    s = Section("communication", TITLES["communication"], fix="staff:campaigns", fix_label="Campaigns")
    rows = []
    for campaign in outreach.practice_campaigns(practice).order_by("created_at", "id"):
        channels = [
            label
            for field, label in (
                ("sms_template", "text"),
                ("email_template", "email"),
                ("letter_template", "letter"),
            )
            if getattr(campaign, f"{field}_id")
        ]
        when = campaign.approved_at or campaign.scheduled_for
        reach = sum(n for _, n in outreach.campaign_progress(campaign, campaign.in_outbox))
        rows.append(
            [
                campaign.name,
                ", ".join(channels) or "none",
                campaign.get_status_display(),
                _date(timezone.localdate(when)) if when else "not yet",
                str(reach),
            ]
        )
    if rows:
        s.table = {
            "caption": "Campaigns to patients",
            "head": ["Campaign", "Channels", "Status", "Approved or scheduled", "Messages"],
            "rows": rows,
        }
        s.facts.append(f"{len(rows)} campaign{'s' if len(rows) != 1 else ''} to patients.")
    else:
        s.facts.append("No campaigns to patients yet.")
    questions_asked = []
    for key, label in MEANS:
        questions_asked.append(Question(f"{key}_on", f"{label}: the date", kind="date", required=False))
        questions_asked.append(Question(key, f"{label}: what is done, or why it is not used", required=False))
    _ask(s, plan, *questions_asked)
    dated = [label for key, label in MEANS if s.words.get(f"{key}_on")]
    explained = [bool(s.words.get(f"{key}_on") or str(s.words.get(key, "")).strip()) for key, _ in MEANS]
    for (_key, label), ok in zip(MEANS, explained, strict=True):
        if not ok:
            s.missing.append(f"{label}: give the date, or say why it is not used.")
    if not dated:
        s.missing.append("Give the date of at least one way of telling patients.")
    s.status = DONE if dated and all(explained) else IN_PROGRESS if any(explained) or rows else MISSING
    return s


def _direct_request(practice, plan) -> Section:
    s = Section(
        "direct_request", TITLES["direct_request"], fix="staff:practice_edit", fix_label="The approach"
    )
    needed = practice.approach in (Approach.OPT_IN, Approach.HYBRID)
    if practice.approach == Approach.OPT_OUT:
        s.facts.append(
            "No: under opt-out, patients get access unless they decline or are held back for safety."
        )
    elif practice.approach == Approach.OPT_IN:
        s.facts.append("Yes: under opt-in, only patients who ask get access.")
    else:
        s.facts.append(
            "Yes, for patients judged at higher risk: under hybrid they get access only when they ask."
        )
    answered = _ask(s, plan, Question("how", "How patients ask, and how they are told to", required=needed))
    agreed = practice.approach_agreed_on is not None
    if not agreed:
        s.missing.append("Record the date the practice agreed its approach.")
    s.status = DONE if agreed and all(answered) else IN_PROGRESS if agreed or any(answered) else MISSING
    return s


def _requests(practice, plan) -> Section:
    s = Section("requests", TITLES["requests"], fix="staff:requests", fix_label="Requests")
    counts = dict(
        intake.practice_requests(practice)
        .order_by()
        .values_list("route")
        .annotate(n=Count("pk"))
        .values_list("route", "n")
    )
    s.table = {
        "caption": "Routes a request comes in by",
        "head": ["Route", "Requests so far"],
        "rows": [[label, str(counts.get(value, 0))] for value, label in Route.choices],
    }
    s.facts.append(
        "Requests are matched to one registered patient before review, identity is checked by an approved method, "
        "and a proxy's authority is checked, before any access."
    )
    s.facts.append(
        "Copies of identity documents are kept privately."
        if practice.store_identity_documents
        else "Staff record what identity document they saw, never a copy."
    )
    answered = _ask(s, plan, Question("secure", "How requests are accepted and kept secure at the practice"))
    s.status = _status(answered)
    return s


def _waiting_list(practice, plan) -> Section:
    s = Section(
        "waiting_list", TITLES["waiting_list"], fix="staff:waiting_policy", fix_label="Waiting-list policy"
    )
    policy = policy_for(practice)
    s.facts.append(f"The target: a request is decided within {policy.target_days} days.")
    s.facts.append(
        f"Waiting now: {review.waiting(practice)}; past the target: {review.past_target(practice)}; "
        f"the longest has waited {review.oldest_waiting_days(practice)} days."
    )
    if policy.pk is None:
        s.missing.append("Set the waiting list's target (the default of 28 days is used until then).")
    answered = _ask(
        s, plan, Question("how", "How the practice keeps to its target", "For example who reviews, and when.")
    )
    s.status = _status([policy.pk is not None, *answered])
    return s


def _conversations(practice, plan) -> Section:
    s = Section("conversations", TITLES["conversations"], fix="staff:slots", fix_label="Conversation slots")
    policy = policy_for(practice)
    slots = [slot for slot in conversations.upcoming_slots(practice) if not slot.cancelled]
    minutes = sum(slot.minutes for slot in slots)
    s.facts.append(
        f"Reviewers' time set aside each week for reviews and conversations: {policy.reviewer_hours:g} hours."
    )
    s.facts.append(
        f"{len(slots)} conversation slot{'s' if len(slots) != 1 else ''} to come, {minutes} minutes in all."
    )
    if not slots:
        s.missing.append("Add conversation slots for patients who want to talk before they get access.")
    answered = _ask(s, plan, Question("time", "Who holds the conversations, and when"))
    s.status = _status([bool(slots), *answered])
    return s


def _vulnerable(practice, plan) -> Section:
    s = Section("vulnerable", TITLES["vulnerable"], fix="staff:dpia_overview", fix_label="The DPIA's risks")
    signed = dpia_selectors.latest_signed(practice)
    risks = list(signed.risks.all()) if signed else []
    if signed is None:
        s.missing.append("Sign off the DPIA: the mitigations are its risks' approved measures.")
    elif not risks:
        s.missing.append("The signed-off DPIA has no risks: add its register in a new version.")
    rows, asked, approved = [], [], []
    for i, risk in enumerate(risks, start=1):
        control = CONTROLS.get(risk.control)
        ok = bool(risk.approved and risk.residual_level)
        approved.append(ok)
        if not ok:
            s.missing.append(
                f"R{i} {risk.title}: its measures are not approved in the DPIA, so the plan cannot rely on them."
            )
        rows.append(
            [
                f"R{i}",
                risk.title,
                risk.measures or "none recorded",
                control.name if control else "none",
                risk.residual_level.label if risk.residual_level else "not assessed",
                "approved" if risk.approved else "not approved",
            ]
        )
        asked.append(Question(f"r{i}", f"The reasoning for R{i}, {risk.title.lower()}"))
    if signed is not None:
        s.facts.append(
            f"From DPIA version {signed.number}: each risk, its measures and the level left after them."
        )
    if rows:
        s.table = {
            "caption": "Risks to vulnerable patients and their mitigations",
            "head": ["ID", "Risk", "Measures", "Control in the service", "Residual level", "Measures"],
            "rows": rows,
        }
    answered = _ask(s, plan, *asked)
    s.status = (
        DONE
        if risks and all(approved) and all(answered)
        else IN_PROGRESS
        if risks or any(answered)
        else MISSING
    )
    return s


def _questions(practice, plan) -> Section:
    s = Section("questions", TITLES["questions"], fix="staff:faq_answers", fix_label="FAQ answers")
    published = len(faq.answers(practice))
    s.facts.append(
        f"FAQ: {published} answer{'s' if published != 1 else ''} published on the practice's page."
    )
    s.facts.append("Call guide: reception answer from the same answers when patients phone.")
    s.facts.append(
        f"Question inbox: each question is answered within {questions.policy_for(practice).answer_within_days} days; "
        f"{questions.open_questions(practice).count()} open now."
    )
    drop_ins = conversations.upcoming_drop_ins(practice)
    s.facts.append(
        f"Drop-in sessions to come: {len(drop_ins)}"
        + (f", the next on {_date(timezone.localdate(drop_ins[0].starts_at))}." if drop_ins else ".")
    )
    s.facts.append(f"Patient participation group: {ppg.meetings(practice).count()} meetings recorded.")
    if not published:
        s.missing.append("Publish at least one FAQ answer.")
    answered = _ask(
        s, plan, Question("process", "The process for patients' questions, in the practice's words")
    )
    s.status = _status([bool(published), *answered])
    return s


BUILDERS = {
    "approach": _approach,
    "dpia": _dpia,
    "communication": _communication,
    "direct_request": _direct_request,
    "requests": _requests,
    "waiting_list": _waiting_list,
    "conversations": _conversations,
    "vulnerable": _vulnerable,
    "questions": _questions,
}


def sections(practice, plan: Plan | None) -> list[Section]:
    """Every section, as the service and the plan's words stand now."""
    return [BUILDERS[key](practice, plan) for key in KEYS]


def section(practice, plan: Plan | None, key: str) -> Section:
    if key not in BUILDERS:
        raise NotFound("No such section")
    return BUILDERS[key](practice, plan)


def _answer_text(q: Question, value) -> str:
    return _date(value) if q.kind == "date" and value else str(value or "").strip()


def answers(found: Section) -> list[tuple[str, str]]:
    """What the practice wrote in a section, each question's label with its answer in words."""
    return [
        (q.label, _answer_text(q, found.words.get(q.name)))
        for q in found.questions
        if str(found.words.get(q.name, "")).strip()
    ]


def blocks(found: list[Section]) -> list[dict]:
    """The plan as export blocks (headings, paragraphs, tables, lists): what the exports and a snapshot hold."""
    out = [{"kind": "heading", "level": 2, "text": "The practice plan"}]
    for s in found:
        out.append({"kind": "heading", "level": 3, "text": s.title})
        out.append({"kind": "paragraph", "text": f"Status: {s.status}."})
        out.extend({"kind": "paragraph", "text": fact} for fact in s.facts)
        if s.table:
            out.append({"kind": "table", **s.table})
        said = [(q, s.words.get(q.name)) for q in s.questions if str(s.words.get(q.name, "")).strip()]
        if said:
            out.append({"kind": "paragraph", "text": "In the practice's words:"})
            out.append(
                {"kind": "list", "items": [f"{q.label}: {_answer_text(q, value)}" for q, value in said]}
            )
        if s.missing:
            out.append({"kind": "paragraph", "text": "Still to do:"})
            out.append({"kind": "list", "items": list(s.missing)})
    return out


# Reads of the plan's versions and its sharing log, always of one practice.


def latest(practice) -> Plan | None:
    return Plan.objects.filter(practice=practice).select_related("approved_by").order_by("-number").first()


def versions(practice):
    return Plan.objects.filter(practice=practice).order_by("-number")


def version(practice, number) -> Plan:
    found = Plan.objects.filter(practice=practice, number=number).first()
    if found is None:
        raise NotFound("Not found")
    return found


def shares(practice):
    return PlanShare.objects.filter(practice=practice).select_related("plan").order_by("-shared_on", "-id")


def shown(practice, plan: Plan | None) -> tuple[list[dict], list[dict]]:
    """(the section statuses, the blocks) of a version: frozen for an approved one, read now for a draft."""
    if plan is not None and plan.is_approved and plan.snapshot:
        return plan.snapshot["sections"], plan.snapshot["blocks"]
    found = sections(practice, plan)
    return [{"key": s.key, "title": s.title, "status": s.status} for s in found], blocks(found)


# Changes: each a transaction with its audit entry.


def _audit(actor: Actor, practice, action: str, plan: Plan, **detail) -> None:
    record(
        actor=actor,
        action=action,
        practice_ods=practice.ods_code,
        object_type="plan",
        object_id=plan.pk,
        detail={"version": plan.number, **detail},
    )


def _draft(actor: Actor, practice) -> Plan:
    """The draft to change, locked; after an approved version, a new draft copied from it."""
    Practice.objects.select_for_update().get(pk=practice.pk)
    newest = Plan.objects.filter(practice=practice).order_by("-number").first()
    if newest is not None and not newest.is_approved:
        return newest
    draft = Plan.objects.create(
        practice=practice,
        number=(newest.number + 1) if newest else 1,
        words=dict(newest.words) if newest else {},
    )
    _audit(actor, practice, "plan_version.start", draft, copied_from=newest.number if newest else None)
    return draft


def _clean(value) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value or "").strip()


@transaction.atomic
def save_section(*, actor: Actor, practice, key: str, values: dict) -> Plan:
    """The practice's words for one section (only the section's own questions are kept)."""
    if key not in BUILDERS:
        raise PlanError("That section does not exist.")
    Practice.objects.select_for_update().get(pk=practice.pk)
    newest = Plan.objects.filter(practice=practice).order_by("-number").first()
    asked = section(practice, newest, key).questions
    before = _words(newest, key)
    after = {q.name: _clean(values.get(q.name)) for q in asked if _clean(values.get(q.name))}
    if after == before and newest is not None:
        return newest  # nothing changed: an approved version stays the newest
    draft = _draft(actor, practice)
    draft.words = {**(draft.words or {}), key: after}
    draft.save(update_fields=["words", "updated_at"])
    changed = sorted(set(before) ^ set(after) | {k for k in after if before.get(k) != after[k]})
    _audit(actor, practice, "plan_section.save", draft, section=key, changed=changed)
    return draft


@transaction.atomic
def approve(*, actor: Actor, practice, approver=None, approver_name: str = "") -> Plan:
    """Freeze the draft: its statuses and blocks as they read now. Refused while any section is not done."""
    Practice.objects.select_for_update().get(pk=practice.pk)
    draft = Plan.objects.filter(practice=practice).order_by("-number").first()
    if draft is None:
        raise PlanError("There is no plan to approve yet: write its sections first.")
    if draft.is_approved:
        raise PlanError(f"Version {draft.number} is approved already. A change starts a new draft.")
    found = sections(practice, draft)
    undone = [s for s in found if s.status != DONE]
    if undone:
        raise PlanError(
            "The plan cannot be approved until every section is done. Not done: "
            + "; ".join(f"{s.title} ({s.status.lower()})" for s in undone)
            + "."
        )
    name = (
        approver_name
        or (getattr(approver, "full_name", "") or getattr(approver, "username", ""))
        or actor.name
    )
    draft.snapshot = {
        "sections": [{"key": s.key, "title": s.title, "status": s.status} for s in found],
        "blocks": blocks(found),
    }
    draft.approved_at = timezone.now()
    draft.approved_by = approver
    draft.approved_by_name = name
    draft.save()
    _audit(actor, practice, "plan_version.approve", draft)
    return draft


def share_errors(*, shared_with: str, name: str, shared_on) -> list[tuple[str, str]]:
    errors = []
    if shared_with not in SharedWith.values:
        errors.append(
            ("shared_with", "Choose who the plan was shared with: the ICB, the ICO or someone else")
        )
    if shared_with == SharedWith.OTHER and not name.strip():
        errors.append(("name", "Enter the name of the person or organisation it was shared with"))
    if shared_on and shared_on > timezone.localdate():
        errors.append(("shared_on", "The date it was shared must be today or in the past"))
    return errors


@transaction.atomic
def record_share(
    *, actor: Actor, practice, number: int, shared_with: str, name: str, shared_on: datetime.date
) -> PlanShare:
    """Record that an approved version was shared. A draft is never recorded as shared: it may state what the
    practice has not agreed."""
    errors = share_errors(shared_with=shared_with, name=name or "", shared_on=shared_on)
    if errors:
        raise PlanError(errors=errors)
    plan = Plan.objects.filter(practice=practice, number=number).first()
    if plan is None:
        raise PlanError(errors=[("version", "Choose a version of the plan")])
    if not plan.is_approved:
        raise PlanError(
            errors=[
                (
                    "version",
                    f"Version {plan.number} is a draft: approve it before recording that it was shared",
                )
            ]
        )
    share = PlanShare.objects.create(
        practice=practice,
        plan=plan,
        shared_with=shared_with,
        name=(name or "").strip(),
        shared_on=shared_on,
        recorded_by=actor.name,
    )
    _audit(
        actor,
        practice,
        "plan.share",
        plan,
        shared_with=shared_with,
        name=share.name,
        shared_on=shared_on.isoformat(),
    )
    return share


def record_export(*, actor: Actor, practice, plan: Plan | None, fmt: str) -> None:
    record(
        actor=actor,
        action="plan.export",
        practice_ods=practice.ods_code,
        object_type="plan",
        object_id=plan.pk if plan else "",
        detail={"version": plan.number if plan else None, "format": fmt},
    )
