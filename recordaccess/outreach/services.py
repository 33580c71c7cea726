"""Changing and approving message templates: each change audited, approval only when every rule passes."""

import datetime
import errno
import itertools
import logging
import os

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from recordaccess.audit.services import Actor, record
from recordaccess.core.bulk import BulkInsert
from recordaccess.core.codes import random_code
from recordaccess.core.errors import DomainError
from recordaccess.core.privatefiles import open_private, private_folder
from recordaccess.health import services as health
from recordaccess.outreach.campaigns import plan_campaign
from recordaccess.outreach.content import check
from recordaccess.outreach.defaults import defaults_for
from recordaccess.outreach.letters import combined_pdf, letter_from_outbox
from recordaccess.outreach.messages import TemplateError
from recordaccess.outreach.models import (
    Campaign,
    CampaignStatus,
    LetterPrint,
    Message,
    MessageStatus,
    MessageTemplate,
    OutboxItem,
    PrintStatus,
    TemplateStatus,
)
from recordaccess.outreach.selectors import missing_values, unapproved_templates
from recordaccess.practices.models import Practice
from recordaccess.practices.readiness import not_ready_reason

logger = logging.getLogger(__name__)
DISK = "disk"  # the part /healthz names when a file cannot be written for want of space
DISK_FULL = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}


def rule_breaks(template: MessageTemplate, approach: str) -> list:
    return check(
        body=template.body,
        subject=template.subject,
        channel=template.channel,
        approach=approach,
        purpose=template.purpose,
        higher_risk=template.higher_risk,
    )


def recheck_templates(*, actor: Actor, practice: Practice, before: str, after: str, **kwargs) -> str:
    """On a change of approach (practices.signals.approach_changed, inside its transaction): every approved
    template is checked against the new approach and loses its approval if it now breaks a rule, with the
    reason kept on it for the administrator. Returns what the administrator must be told."""
    withdrawn = {}
    for template in practice.message_templates.select_for_update().filter(status=TemplateStatus.APPROVED):
        breaks = rule_breaks(template, after)
        if not breaks:
            continue
        template.status, template.approved_by, template.approved_at = TemplateStatus.DRAFT, "", None
        template.withdrawn_note = (
            f"Approval withdrawn when the approach changed from {_approach_name(before)} to "
            f"{_approach_name(after)}: " + " ".join(b.message for b in breaks)
        )
        template.save(update_fields=["status", "approved_by", "approved_at", "withdrawn_note", "updated_at"])
        withdrawn[template.name] = [b.rule for b in breaks]
    if not withdrawn:
        return ""
    record(
        actor=actor,
        action="templates.withdraw_approval",
        practice_ods=practice.ods_code,
        object_type="message_template",
        detail={"before": before, "after": after, "withdrawn": withdrawn},
    )
    count = len(withdrawn)
    return (
        f"{count} template{'s' if count != 1 else ''} lost {'their' if count != 1 else 'its'} approval: they "
        "break the rules for your new approach. See Message templates, where “Add the default templates” "
        "restores the defaults for it."
    )


def _approach_name(approach: str) -> str:
    return {"opt_out": "opt-out", "opt_in": "opt-in", "hybrid": "hybrid"}.get(approach, approach)


@transaction.atomic
def install_default_templates(*, actor: Actor, practice: Practice) -> int:
    """Add the default templates for the practice's approach that it does not have yet (by name), and put back
    the default words in any unapproved template of a default's name that breaks the rules for the approach
    (after a change of approach, the old defaults). Approved and passing templates are left as they are."""
    defaults = {d.name: d for d in defaults_for(practice.approach)}
    restored = []
    for template in practice.message_templates.select_for_update().filter(
        name__in=defaults, status=TemplateStatus.DRAFT
    ):
        if not rule_breaks(template, practice.approach):
            continue
        d = defaults[template.name]
        template.channel, template.purpose, template.higher_risk = d.channel, d.purpose, d.higher_risk
        template.subject, template.body, template.withdrawn_note = d.subject, d.body, ""
        template.updated_by, template.edited_by = actor.name, ""  # the default wording: nobody's own edit
        template.save()
        restored.append(template.name)
    have = set(practice.message_templates.values_list("name", flat=True))
    new = [
        MessageTemplate(
            practice=practice,
            channel=d.channel,
            purpose=d.purpose,
            higher_risk=d.higher_risk,
            name=d.name,
            subject=d.subject,
            body=d.body,
            updated_by=actor.name,
        )
        for d in defaults_for(practice.approach)
        if d.name not in have
    ]
    MessageTemplate.objects.bulk_create(new)
    if new or restored:
        record(
            actor=actor,
            action="templates.install_defaults",
            practice_ods=practice.ods_code,
            object_type="message_template",
            detail={"added": [t.name for t in new], "restored": restored},
        )
    return len(new) + len(restored)


@transaction.atomic
def save_template(
    *, actor: Actor, practice: Practice, template_id: int, subject: str, body: str
) -> MessageTemplate:
    """Any edit returns the template to draft: it must be approved again before it is sent."""
    template = MessageTemplate.objects.select_for_update().filter(practice=practice, pk=template_id).first()
    if template is None:
        raise TemplateError("That template no longer exists.")
    before = {"subject": template.subject, "body": template.body}
    template.subject, template.body = subject, body
    template.status, template.approved_by, template.approved_at = TemplateStatus.DRAFT, "", None
    template.updated_by, template.edited_by, template.withdrawn_note = actor.name, actor.name, ""
    template.save()
    record(
        actor=actor,
        action="template.update",
        practice_ods=practice.ods_code,
        object_type="message_template",
        object_id=template.pk,
        detail={"before": before, "after": {"subject": subject, "body": body}},
    )
    return template


def may_approve_template(template: MessageTemplate, name: str) -> bool:
    """Four eyes, as for campaigns: whoever last changed a template's words cannot be its approver (H69). The
    default wording as installed was written by nobody at the practice, so anyone may approve it."""
    return name != template.edited_by


@transaction.atomic
def approve_template(*, actor: Actor, practice: Practice, template_id: int) -> MessageTemplate:
    template = MessageTemplate.objects.select_for_update().filter(practice=practice, pk=template_id).first()
    if template is None:
        raise TemplateError("That template no longer exists.")
    if not_ready := not_ready_reason(practice):
        raise TemplateError(not_ready)
    breaks = rule_breaks(template, practice.approach)
    if breaks:
        raise TemplateError("This template cannot be approved yet. " + " ".join(b.message for b in breaks))
    if not may_approve_template(template, actor.name):
        raise TemplateError(
            "Another administrator must approve this template: you made the last change to its words."
        )
    template.status, template.approved_by, template.approved_at = (
        TemplateStatus.APPROVED,
        actor.name,
        timezone.now(),
    )
    template.withdrawn_note = ""
    template.save()
    record(
        actor=actor,
        action="template.approve",
        practice_ods=practice.ods_code,
        object_type="message_template",
        object_id=template.pk,
        detail={"name": template.name},
    )
    return template


class CampaignError(DomainError):
    """A campaign action that cannot be carried out, with a message for the user."""


def fits_wording(template: MessageTemplate, approach: str, *, review: bool) -> bool:
    """Whether a template may be a campaign's default wording, or its wording for patients who need enhanced
    review: hybrid's higher-risk announcement, or the enhanced-review message elsewhere."""
    if not review:
        return template.purpose == "announcement" and not template.higher_risk
    if approach == "hybrid":
        return template.purpose == "announcement" and template.higher_risk
    return template.purpose == "enhanced_review"


def wording_needed(channel: str, approach: str, *, review: bool) -> str:
    if not review:
        return f"The {channel} template must be a standard announcement."
    if approach == "hybrid":
        return f"The {channel} wording for patients who need enhanced review must be a higher-risk (opt-in) announcement."
    return f"The {channel} wording for patients who need enhanced review must be an enhanced-review message."


def _check_campaign(practice: Practice, name: str, cohort, templates: dict, *, exclude: int | None = None):
    """What a campaign may be made of: a name of its own, and the practice's cohort and templates, each fit for
    its wording."""
    same_name = Campaign.objects.filter(practice=practice, name__iexact=name.strip()).exclude(pk=exclude)
    if same_name.exists():
        raise CampaignError(f"There is already a campaign called “{name.strip()}”.")
    if cohort.practice_id != practice.pk:
        raise CampaignError("That cohort belongs to another practice.")
    for key, template in templates.items():
        channel, review = key.removesuffix("_review"), key.endswith("_review")
        if template is not None and (template.practice_id != practice.pk or template.channel != channel):
            raise CampaignError(f"The {channel} template must be one of this practice's {channel} templates.")
        if template is not None and not fits_wording(template, practice.approach, review=review):
            raise CampaignError(wording_needed(channel, practice.approach, review=review))


TEMPLATE_KEYS = ("sms", "email", "letter", "sms_review", "email_review", "letter_review")


def _audit_campaign(
    actor: Actor, action: str, campaign: Campaign, practice, detail: dict | None = None
) -> None:
    """One audit entry about a campaign, in the caller's transaction."""
    record(
        actor=actor,
        action=action,
        practice_ods=practice.ods_code,
        object_type="campaign",
        object_id=campaign.pk,
        detail=detail,
    )


@transaction.atomic
def create_campaign(
    *, actor: Actor, practice: Practice, name: str, cohort, templates: dict, skip_told_within_days: int = 30
) -> Campaign:
    _check_campaign(practice, name, cohort, templates)
    campaign = Campaign.objects.create(
        practice=practice,
        name=name.strip(),
        cohort=cohort,
        created_by=actor.name,
        **{f"{key}_template": templates.get(key) for key in TEMPLATE_KEYS},
        skip_told_within_days=skip_told_within_days,
    )
    campaign.plan = plan_campaign(campaign).counts()
    campaign.save(update_fields=["plan"])
    _audit_campaign(
        actor, "campaign.create", campaign, practice, {"name": campaign.name, "plan": campaign.plan}
    )
    return campaign


def _locked(practice: Practice, campaign_id: int, *statuses: str, doing: str) -> Campaign:
    """The practice's campaign, locked, if it is in one of `statuses`; else a refusal that says why."""
    campaign = Campaign.objects.select_for_update().filter(practice=practice, pk=campaign_id).first()
    if campaign is None:
        raise CampaignError("That campaign no longer exists.")
    if campaign.status not in statuses:
        raise CampaignError(f"A campaign that is {campaign.get_status_display().lower()} cannot be {doing}.")
    return campaign


@transaction.atomic
def update_campaign(
    *,
    actor: Actor,
    practice: Practice,
    campaign_id: int,
    name: str,
    cohort,
    templates: dict,
    skip_told_within_days: int,
) -> Campaign:
    """Change a draft: its recipients are worked out again. Once approved, its recipients are fixed."""
    campaign = _locked(practice, campaign_id, CampaignStatus.DRAFT, doing="changed")
    if actor.name != campaign.created_by:  # else its approver could change it and approve their own words
        raise CampaignError("Only the administrator who wrote this draft can change it.")
    _check_campaign(practice, name, cohort, templates, exclude=campaign.pk)
    campaign.name, campaign.cohort, campaign.skip_told_within_days = (
        name.strip(),
        cohort,
        skip_told_within_days,
    )
    for key in TEMPLATE_KEYS:
        setattr(campaign, f"{key}_template", templates.get(key))
    campaign.plan = plan_campaign(campaign).counts()
    campaign.save()
    _audit_campaign(
        actor, "campaign.update", campaign, practice, {"name": campaign.name, "plan": campaign.plan}
    )
    return campaign


@transaction.atomic
def delete_campaign(*, actor: Actor, practice: Practice, campaign_id: int) -> None:
    """Only a draft: it has no messages yet. An approved campaign is a record of what patients were sent."""
    campaign = _locked(practice, campaign_id, CampaignStatus.DRAFT, doing="deleted")
    _audit_campaign(actor, "campaign.delete", campaign, practice, {"name": campaign.name})
    campaign.delete()


@transaction.atomic
def set_campaign_window(
    *, actor: Actor, practice: Practice, campaign_id: int, start, end, send_on_sundays: bool
) -> Campaign:
    """The hours it may send in, while it is a draft or paused (not while a worker is sending it)."""
    campaign = _locked(
        practice, campaign_id, CampaignStatus.DRAFT, CampaignStatus.PAUSED, doing="given new sending hours"
    )
    if start >= end:
        raise CampaignError("The sending window must start before it ends.")
    before = {"start": f"{campaign.window_start:%H:%M}", "end": f"{campaign.window_end:%H:%M}"}
    campaign.window_start, campaign.window_end, campaign.send_on_sundays = start, end, send_on_sundays
    campaign.save(update_fields=["window_start", "window_end", "send_on_sundays"])
    _audit_campaign(
        actor,
        "campaign.window",
        campaign,
        practice,
        {
            "before": before,
            "after": {"start": f"{start:%H:%M}", "end": f"{end:%H:%M}", "sundays": send_on_sundays},
        },
    )
    return campaign


@transaction.atomic
def schedule_campaign(*, actor: Actor, practice: Practice, campaign_id: int, at, now=None) -> Campaign:
    """An approved campaign starts sending by itself at `at` (start_scheduled_campaigns, with the heartbeat),
    if it is still approved and the practice still ready then (H71). `at=None` cancels the schedule."""
    campaign = _locked(practice, campaign_id, CampaignStatus.APPROVED, doing="scheduled")
    if at is not None and at <= (now or timezone.now()):
        raise CampaignError("Choose a date and time in the future.")
    campaign.scheduled_for, campaign.schedule_note = at, ""
    campaign.save(update_fields=["scheduled_for", "schedule_note"])
    _audit_campaign(
        actor,
        "campaign.schedule" if at else "campaign.unschedule",
        campaign,
        practice,
        {"name": campaign.name, "at": at.isoformat() if at else None},
    )
    return campaign


def start_scheduled(*, now=None) -> list[int]:
    """Start each approved campaign whose time has come. One that cannot start (the practice is no longer ready,
    a template lost its approval) does not start later by surprise: its schedule is cleared, with the reason."""
    started = []
    due = Campaign.objects.filter(
        status=CampaignStatus.APPROVED, scheduled_for__lte=now or timezone.now()
    ).select_related("practice")
    for campaign in due:
        actor = Actor.system("schedule")
        try:
            set_campaign_sending(
                actor=actor, practice=campaign.practice, campaign_id=campaign.pk, sending=True
            )
            started.append(campaign.pk)
        except CampaignError as refused:
            note = f"Did not start at the scheduled time: {refused}"
            Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.APPROVED).update(
                scheduled_for=None, schedule_note=note[:500]
            )
            _audit_campaign(
                actor, "campaign.schedule_missed", campaign, campaign.practice, {"reason": str(refused)}
            )
    return started


def new_reply_code() -> str:
    """10 characters, 50 random bits: short in a text message, not guessable."""
    return random_code(10)


MESSAGE_COLUMNS = [
    "campaign_id",
    "patient_id",
    "channel",
    "format",
    "review_wording",
    "reference",
    "reply_code",
    "status",
    "attempts",
    "error",
    "notify_id",
    "created_at",
    "updated_at",
]


def _write_messages(campaign: Campaign, recipients) -> None:
    """One message per recipient, written with the driver alone: 100,000 in a couple of seconds."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = (
        (
            campaign.pk,
            r.patient_id,
            r.channel,
            r.format,
            r.review,
            f"RA-{campaign.pk}-{r.patient_id}",
            new_reply_code(),
            MessageStatus.QUEUED.value,
            0,
            "",
            "",
            now,
            now,
        )
        for r in recipients
    )
    inserter = BulkInsert(Message, MESSAGE_COLUMNS)
    with connection.cursor() as cursor:
        for chunk in iter(lambda: list(itertools.islice(rows, 10_000)), []):
            inserter.write(cursor, chunk)


@transaction.atomic
def approve_campaign(*, actor: Actor, practice: Practice, campaign_id: int) -> Campaign:
    """Four eyes: an administrator other than the author approves. Approval fixes the recipients as messages."""
    campaign = Campaign.objects.select_for_update().filter(practice=practice, pk=campaign_id).first()
    if campaign is None:
        raise CampaignError("That campaign no longer exists.")
    if campaign.status != CampaignStatus.DRAFT:
        raise CampaignError("This campaign has already been approved.")
    if actor.name == campaign.created_by:
        raise CampaignError("Another administrator must approve this campaign: you wrote it.")
    if not_ready := not_ready_reason(practice):
        raise CampaignError(not_ready)
    if needed := missing_values(campaign, settings.PUBLIC_BASE_URL):
        raise CampaignError("This campaign cannot be approved yet. " + " ".join(needed))
    for channel, review in itertools.product(("sms", "email", "letter"), (False, True)):
        template = campaign.template_for(channel, review=review)
        if template is not None and template.status != TemplateStatus.APPROVED:
            raise CampaignError(f"The {channel} template “{template.name}” is not approved yet.")
    plan = plan_campaign(campaign)
    unworded = plan.left_out["no_review_template"]
    if unworded:
        raise CampaignError(
            f"{unworded} patient{'s' if unworded != 1 else ''} in this cohort {'need' if unworded != 1 else 'needs'} enhanced review, and the "
            "campaign has no wording for them on a channel that reaches them: "
            + wording_needed("text message, email or letter", practice.approach, review=True)
        )
    _write_messages(campaign, plan.recipients)
    campaign.plan = plan.counts()
    campaign.status, campaign.approved_by, campaign.approved_at = (
        CampaignStatus.APPROVED,
        actor.name,
        timezone.now(),
    )
    campaign.built_at = timezone.now()
    campaign.save()
    _audit_campaign(
        actor, "campaign.approve", campaign, practice, {"name": campaign.name, "plan": campaign.plan}
    )
    return campaign


@transaction.atomic
def set_campaign_sending(*, actor: Actor, practice: Practice, campaign_id: int, sending: bool) -> Campaign:
    """Start or resume (sending=True), or pause (False). The worker checks the status before every batch."""
    campaign = Campaign.objects.select_for_update().filter(practice=practice, pk=campaign_id).first()
    if campaign is None:
        raise CampaignError("That campaign no longer exists.")
    allowed_from = (CampaignStatus.APPROVED, CampaignStatus.PAUSED) if sending else (CampaignStatus.SENDING,)
    if campaign.status not in allowed_from:
        raise CampaignError(
            f"A campaign that is {campaign.get_status_display().lower()} cannot be {'sent' if sending else 'paused'}."
        )
    if sending and (not_ready := not_ready_reason(practice)):
        raise CampaignError(not_ready)
    if sending and (unapproved := unapproved_templates(campaign)):
        raise CampaignError(
            f"Approval was withdrawn from {', '.join(unapproved)} when your approach changed: "
            "this campaign cannot be sent. Create a new one with approved templates."
        )
    campaign.status = CampaignStatus.SENDING if sending else CampaignStatus.PAUSED
    campaign.scheduled_for = None  # sent now, by hand or by its schedule: nothing left to start later
    campaign.save(update_fields=["status", "scheduled_for"])
    _audit_campaign(
        actor, "campaign.send" if sending else "campaign.pause", campaign, practice, {"name": campaign.name}
    )
    if sending:
        transaction.on_commit(lambda: _start_senders(campaign.pk))
    return campaign


def _start_senders(campaign_id: int) -> None:
    """The campaign is sending once committed; when its senders cannot be queued (Redis stopped), the heartbeat's
    `resume_stalled_campaigns` starts them when their leases run out (H128): the approval must not fail for it."""
    from recordaccess.outreach.tasks import start_senders

    try:
        start_senders(campaign_id, settings.SEND_WORKERS)
    except Exception as error:  # noqa: BLE001 - the sweep starts them
        logger.warning(
            "Campaign %s: its senders could not be queued (%s): the sweep will", campaign_id, error
        )


def outbox_letters(campaign: Campaign):
    return OutboxItem.objects.filter(message__campaign=campaign, message__channel="letter")


@transaction.atomic
def request_letter_print(*, actor: Actor, practice: Practice, campaign_id: int) -> LetterPrint:
    """Start making one PDF of all the campaign's letters in the outbox, in the background."""
    campaign = Campaign.objects.filter(practice=practice, pk=campaign_id).first()
    if campaign is None:
        raise CampaignError("That campaign no longer exists.")
    total = outbox_letters(campaign).count()
    if not total:
        raise CampaignError(
            "There are no letters to print yet: letters are ready to print once the campaign has sent them."
        )
    if campaign.prints.filter(status__in=(PrintStatus.QUEUED, PrintStatus.RUNNING)).exists():
        raise CampaignError("A PDF of these letters is already being made: wait for it to finish.")
    job = LetterPrint.objects.create(campaign=campaign, requested_by=actor.name, total=total)
    record(
        actor=actor,
        action="campaign.letters_print",
        practice_ods=practice.ods_code,
        object_type="letter_print",
        object_id=job.pk,
        detail={"campaign": campaign.pk, "letters": total},
    )
    from recordaccess.outreach.tasks import make_letter_print

    def enqueue() -> None:
        try:
            make_letter_print.enqueue(job.pk)
        except Exception as error:  # noqa: BLE001 - the request is kept; the heartbeat's sweep queues it
            LetterPrint.objects.filter(pk=job.pk).update(retry_at=timezone.now())
            logger.warning("Letter print %s could not be queued (%s): the sweep will queue it", job.pk, error)

    transaction.on_commit(enqueue)
    return job


def make_letter_print_now(job: LetterPrint) -> LetterPrint:
    """Render every letter into one PDF under var/letters, saving progress as it goes.

    The PDF is written beside its final name and renamed only once it is all on the disk, so a PDF of letters is
    whole or not there: never half a batch printed and posted as if it were all (H127). When the disk is full
    (or the file too large for it), the part written is removed, /healthz and the log say so, and the print waits
    to be tried again by itself (tasks.retry_letter_prints), with nobody having to ask again."""
    LetterPrint.objects.filter(pk=job.pk).update(status=PrintStatus.RUNNING, retry_at=None)
    items = outbox_letters(job.campaign).select_related("message").order_by("message_id")
    total = items.count()
    practice = job.campaign.practice

    def progress(done: int) -> None:
        LetterPrint.objects.filter(pk=job.pk).update(done=done, total=total)

    folder = settings.VAR_DIR / "letters"
    path = folder / f"campaign-{job.campaign_id}-letters-{job.pk}.pdf"
    partial = path.with_name(path.name + ".partial")
    try:
        pdf = combined_pdf(practice, (letter_from_outbox(item) for item in items.iterator()), total, progress)
        private_folder(folder)
        with open_private(partial, "wb") as stream:  # names and addresses
            stream.write(pdf)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        if error.errno not in DISK_FULL:
            _print_failed(job, error)
            raise
        retry_at = timezone.now() + datetime.timedelta(seconds=settings.LETTER_PRINT_RETRY_SECONDS)
        reason = f"{error.strerror} while writing the PDF of letters"
        LetterPrint.objects.filter(pk=job.pk).update(
            status=PrintStatus.QUEUED,
            done=0,
            retry_at=retry_at,
            error=f"{reason}: it will be tried again by itself.",
        )
        health.problem(DISK, f"{reason} under {folder}")
        logger.warning("Letter print %s: %s under %s; trying again from %s", job.pk, reason, folder, retry_at)
        job.refresh_from_db()
        return job
    except Exception as error:
        partial.unlink(missing_ok=True)
        _print_failed(job, error)
        raise
    health.resolved(DISK)
    LetterPrint.objects.filter(pk=job.pk).update(
        status=PrintStatus.DONE, path=str(path), done=total, total=total, error="", finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def _print_failed(job: LetterPrint, error: Exception) -> None:
    LetterPrint.objects.filter(pk=job.pk).update(
        status=PrintStatus.FAILED, error=str(error), finished_at=timezone.now()
    )
