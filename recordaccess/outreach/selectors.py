from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from recordaccess.core.scoping import one_for_practice
from recordaccess.outreach.content import check
from recordaccess.outreach.formatting import to_html
from recordaccess.outreach.messages import TemplateError, placeholder_key, placeholders, render
from recordaccess.outreach.models import (
    OUTBOX_MESSAGE_LABELS,
    Campaign,
    CampaignStatus,
    LetterPrint,
    MessageStatus,
    MessageTemplate,
    OutboxItem,
    PatientReply,
)
from recordaccess.practices.models import Dpia


def practice_templates(practice):
    return MessageTemplate.objects.filter(practice=practice)


def template_for_practice(practice, template_id: int, channel: str | None = None) -> MessageTemplate:
    """One of the practice's templates (of this channel, when a page only shows one), or NotFound."""
    templates = MessageTemplate.objects.filter(channel=channel) if channel else MessageTemplate.objects.all()
    return one_for_practice(templates, practice, template_id)


def campaign_for_practice(practice, campaign_id: int) -> Campaign:
    return one_for_practice(Campaign.objects.all(), practice, campaign_id)


def practice_campaigns(practice) -> QuerySet[Campaign]:
    """The practice's campaigns, each marked `in_outbox` when its messages went to the outbox, not to patients."""
    return (
        Campaign.objects.filter(practice=practice).select_related("cohort").annotate(in_outbox=_in_outbox())
    )


def _in_outbox():
    return Exists(OutboxItem.objects.filter(message__campaign=OuterRef("pk")))


def campaign_in_outbox(campaign: Campaign) -> bool:
    """Whether the campaign's messages went to the outbox (no Notify account): then none was sent."""
    return OutboxItem.objects.filter(message__campaign=campaign).exists()


def campaign_progress(campaign: Campaign, in_outbox: bool) -> list[tuple[str, int]]:
    """How many of its messages are in each state, in words that never call an outbox record sent."""
    labels = dict(MessageStatus.choices) | (OUTBOX_MESSAGE_LABELS if in_outbox else {})
    counts = campaign.messages.values_list("status").annotate(n=Count("pk")).order_by("status")
    return [(labels.get(status, status), n) for status, n in counts]


def campaign_previews(campaign: Campaign, base_url: str) -> list[dict]:
    """Each of the campaign's messages as a sample patient would get it, so its approver reads what is sent."""
    values = preview_values(campaign.practice, base_url)
    previews = []
    for review in (False, True):
        for channel in ("sms", "email", "letter"):
            template = campaign.template_for(channel, review=review)
            if template is None:
                continue
            try:
                subject = render(template.subject, values) if template.subject else ""
                body, error = render(template.body, values), ""
            except TemplateError as problem:
                subject, body, error = "", "", str(problem)
            previews.append(
                {"template": template, "review": review, "subject": subject, "body": body, "error": error}
            )
    return previews


def letter_print_for_practice(practice, campaign_id: int, print_id: int) -> LetterPrint:
    prints = LetterPrint.objects.select_related("campaign").filter(campaign_id=campaign_id)
    return one_for_practice(prints, practice, print_id, through="campaign__practice")


def outbox_letter_for_practice(practice, item_id: int) -> OutboxItem:
    """A letter in the outbox of one of the practice's campaigns, or NotFound."""
    letters = OutboxItem.objects.select_related("message__campaign").filter(message__channel="letter")
    return one_for_practice(letters, practice, item_id, through="message__campaign__practice")


def outbox_items(practice) -> QuerySet[OutboxItem]:
    """Everything the practice has waiting to send by hand: its campaigns' and its own direct messages."""
    return (
        OutboxItem.objects.filter(Q(message__campaign__practice=practice) | Q(practice=practice))
        .select_related("message__patient", "message__campaign")
        .order_by("-pk")
    )


def practice_replies(practice) -> QuerySet[PatientReply]:
    return PatientReply.objects.filter(practice=practice).select_related("patient", "message")


def reply_counts(practice) -> dict[str, int]:
    """How many of the practice's replies are in each state."""
    return dict(PatientReply.objects.filter(practice=practice).values_list("status").annotate(n=Count("pk")))


def resources_link(practice, base_url: str | None = None) -> str:
    """The short link every patient-facing item signposts: the practice's own start page, which lists the NHS
    resources it chose (practices/defaults.py) and its DPIA."""
    base = settings.PUBLIC_BASE_URL if base_url is None else base_url
    return base + reverse("intake:start", kwargs={"ods": practice.ods_code})


def questions_link(practice, base_url: str | None = None) -> str:
    """The practice's questions page (the questions app's public page): answers to what patients ask most."""
    base = settings.PUBLIC_BASE_URL if base_url is None else base_url
    return base + reverse("questions:page", kwargs={"ods": practice.ods_code})


def nhs_help(practice) -> str:
    """The line that ends every message the service writes itself (acknowledgements, decisions, bookings,
    answers to replies): the short link to the practice's resources (H57) and its questions page."""
    return f"NHS help: {resources_link(practice)} Questions: {questions_link(practice)}"


def unapproved_templates(campaign) -> list[str]:
    """The campaign's templates that are not approved now (approval withdrawn since it was approved)."""
    ids = [
        getattr(campaign, f"{channel}{suffix}_template_id")
        for channel in ("sms", "email", "letter")
        for suffix in ("", "_review")
    ]
    return list(
        MessageTemplate.objects.filter(pk__in=[i for i in ids if i])
        .exclude(status="approved")
        .order_by("name")
        .values_list("name", flat=True)
    )


# What to record when a campaign's templates use a placeholder the practice has left blank.
TO_RECORD = {
    "start date": "Record the date online access starts in the practice's details: the messages name it.",
    "dpia reference": "Record the DPIA's reference: the messages name it.",
    "resources": "Add the NHS resources the messages list (Practice and DPIA, Resources).",
}


def missing_values(campaign, base_url: str) -> list[str]:
    """What the practice must record before this campaign's templates can be filled in for a patient."""
    values = {placeholder_key(k): v for k, v in sample_values(campaign.practice, base_url).items()}
    needed = []
    for channel in ("sms", "email", "letter"):
        for review in (False, True):
            template = campaign.template_for(channel, review=review)
            if template is None:
                continue
            for name in placeholders(f"{template.subject}\n{template.body}"):
                key = placeholder_key(name)
                if key in values and values[key] == "":
                    needed.append(TO_RECORD.get(key, f"Record a value for (({name})): the messages use it."))
    return list(dict.fromkeys(needed))


def sample_values(practice, base_url: str) -> dict[str, str]:
    """What a practice's placeholders hold, with a sample patient, for previews."""
    dpia = Dpia.objects.filter(practice_id=practice.pk).first()  # as recorded now, never a stale copy
    start = resources_link(practice, base_url)
    resources = [f"- {r.title}: {r.url}" for r in practice.resources.all()]
    # The practice's own answers follow the NHS resources (blank until it has some, so TO_RECORD still asks).
    questions = f"- Your questions answered: {questions_link(practice, base_url)}" if resources else ""
    return {
        "first name": "Sam",
        "last name": "Patient",
        "practice name": practice.name,
        "practice phone": practice.phone or "the practice",
        "request link": start,
        "preference link": start,
        "resources link": start,
        # The go-live date the practice recorded; blank until then, so no message guesses when access starts.
        "start date": f"{practice.go_live_on.day} {practice.go_live_on:%B %Y}" if practice.go_live_on else "",
        # Blank until recorded, so nothing naming it can be rendered for a patient (render refuses a blank).
        "DPIA reference": dpia.reference if dpia else "",
        "DPIA link": (dpia.url if dpia else "") or start,
        "resources": "\n".join([*resources, questions] if questions else resources),
    }


def poster_values(practice, base_url: str) -> dict[str, str]:
    """The placeholders for a poster, which is read on a wall, not clicked: every link is the practice's start
    page (short, and it lists the resources and names the DPIA), and resources are named by title alone."""
    values = sample_values(practice, base_url)
    start = values["request link"]
    return values | {
        "DPIA link": start,
        "resources": "\n".join(
            [*(f"- {r.title}" for r in practice.resources.all()), "- Your questions answered: on our website"]
            if values["resources"]
            else []
        ),
    }


def preview_patient(practice, number: str):
    """The practice's patient with this NHS number, for a preview with their details; None if there is none."""
    from recordaccess.core import nhs_number

    normalised = nhs_number.normalise(number)
    return practice.patients.filter(nhs_number=normalised).first() if normalised else None


def preview_values(practice, base_url: str, patient=None) -> dict[str, str]:
    values = sample_values(practice, base_url)
    # Staff's previews only: a patient's message is never rendered with these.
    values["DPIA reference"] = values["DPIA reference"] or "(DPIA not recorded yet)"
    values["start date"] = values["start date"] or "(start date not recorded yet)"
    if patient is not None:
        values |= {"first name": patient.given_name or "patient", "last name": patient.family_name}
    return values


def published_notice(practice, base_url: str):
    """The practice's approved website notice as HTML, or None when it has not approved one."""
    template = (
        practice_templates(practice)
        .filter(channel="website", purpose="announcement", higher_risk=False, status="approved")
        .order_by("-approved_at")
        .first()
    )
    if template is None:
        return None
    try:
        return to_html(render(template.body, sample_values(practice, base_url)))
    except TemplateError:  # its DPIA reference was cleared since: nothing rather than a notice with a gap
        return None


def campaigns_awaiting_approval(practice, user=None) -> int:
    """Drafts whose plan is built: each waits for an administrator other than its author to approve it."""
    return (
        Campaign.objects.filter(practice=practice, status=CampaignStatus.DRAFT).exclude(built_at=None).count()
    )


def templates_failing_rules(practice, user=None) -> int:
    """Templates that break the content rules for the practice's approach now (one query; the rules are Python),
    as when the approach changed after they were written."""
    return sum(
        1
        for template in MessageTemplate.objects.filter(practice=practice).only(
            "body", "subject", "channel", "purpose", "higher_risk"
        )
        if check(
            body=template.body,
            subject=template.subject,
            channel=template.channel,
            approach=practice.approach,
            purpose=template.purpose,
            higher_risk=template.higher_risk,
        )
    )
