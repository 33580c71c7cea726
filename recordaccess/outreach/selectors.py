import datetime

from django.conf import settings
from django.db.models import Case, Count, Exists, Min, OuterRef, Q, QuerySet, When
from django.db.models.functions import Coalesce, Length, TruncDate
from django.urls import reverse

from recordaccess.core.scoping import one_for_practice
from recordaccess.outreach.content import check
from recordaccess.outreach.formatting import to_html
from recordaccess.outreach.messages import TemplateError, placeholder_key, placeholders, render, sms_length
from recordaccess.outreach.models import (
    OUTBOX_MESSAGE_LABELS,
    Campaign,
    CampaignStatus,
    Channel,
    DirectMessage,
    DirectStatus,
    LetterPrint,
    Message,
    MessageStatus,
    MessageTemplate,
    OutboxItem,
    PatientReply,
)
from recordaccess.patients.models import RegistrationStatus
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


# --- The dashboard's figures (reports/refresh.py): counts grouped by local day, never a patient's details. ---

# Handed to the network, so Notify charges for it (a text is charged per fragment whether delivered or not).
CHARGED_STATUSES = (
    MessageStatus.SENT,
    MessageStatus.DELIVERED,
    MessageStatus.TEMPORARY_FAILURE,
    MessageStatus.PERMANENT_FAILURE,
)


def patients_told(practice) -> list[tuple[int, str, datetime.date, datetime.date | None]]:
    """For each registered patient and channel a campaign message went by: the first day one was handed to Notify
    (or printed) and the first day one was delivered (a letter counts once sent). Internal ids only, to count."""
    delivered = Q(status=MessageStatus.DELIVERED) | Q(
        channel=Channel.LETTER, status__in=(MessageStatus.SENT, MessageStatus.DELIVERED)
    )
    return list(
        Message.objects.filter(
            campaign__practice=practice, sent_at__isnull=False, patient__status=RegistrationStatus.REGISTERED
        )
        .values_list("patient_id", "channel")
        .annotate(
            first=Min(TruncDate("sent_at")),
            delivered=Min(Case(When(delivered, then=TruncDate("sent_at")))),
        )
        .order_by()
    )


def _fragments(practice, body: str, base_url: str) -> int:
    """Fragments of a text as sent: the template with a sample patient and a preference link of the real length
    (as the campaign's estimate does); the template as written if it cannot be filled now."""
    values = {**sample_values(practice, base_url), "preference link": base_url + "/r/0123456789/"}
    try:
        return sms_length(render(body, values)).fragments
    except TemplateError:
        return sms_length(body).fragments


def messages_by_day(practice) -> list[tuple[datetime.date, str, str, int, int]]:
    """Every message sent for the practice, campaign and one-off (answers, decisions, reminders), as (day, channel,
    status, messages, text fragments charged): the day it was handed to Notify, or made if it never was."""
    base_url = settings.PUBLIC_BASE_URL
    campaign_rows = (
        Message.objects.filter(campaign__practice=practice)
        .annotate(day=TruncDate(Coalesce("sent_at", "created_at")))
        .values_list("day", "channel", "status", "campaign_id", "review_wording")
        .annotate(n=Count("pk"))
        .order_by()
    )
    campaigns = {
        campaign.pk: campaign
        for campaign in Campaign.objects.filter(practice=practice).select_related(
            "sms_template", "sms_review_template"
        )
    }
    per_campaign: dict[tuple[int, bool], int] = {}
    rows: dict[tuple, list[int]] = {}
    for day, channel, status, campaign_id, review, n in campaign_rows:
        fragments = 0
        if channel == Channel.SMS and status in CHARGED_STATUSES:
            if (campaign_id, review) not in per_campaign:
                campaign = campaigns[campaign_id]
                template = (campaign.sms_review_template if review else None) or campaign.sms_template
                per_campaign[campaign_id, review] = (
                    _fragments(practice, template.body, base_url) if template else 1
                )
            fragments = per_campaign[campaign_id, review] * n
        counts = rows.setdefault((day, channel, status), [0, 0])
        counts[0] += n
        counts[1] += fragments
    direct_rows = (
        DirectMessage.objects.filter(practice=practice)
        .annotate(day=TruncDate(Coalesce("sent_at", "created_at")), characters=Length("body"))
        .values_list("day", "channel", "status", "characters")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for day, channel, status, characters, n in direct_rows:
        fragments = 0
        if channel == Channel.SMS and status == DirectStatus.SENT:
            fragments = (1 if characters <= 160 else -(-characters // 153)) * n  # GSM-7, as most answers are
        counts = rows.setdefault((day, channel, status), [0, 0])
        counts[0] += n
        counts[1] += fragments
    return [(day, channel, status, n, fragments) for (day, channel, status), (n, fragments) in rows.items()]
