"""Changing and approving message templates: each change audited, approval only when every rule passes."""

from django.db import transaction
from django.utils import timezone

from recordaccess.audit.services import Actor, record
from recordaccess.outreach.content import check
from recordaccess.outreach.defaults import defaults_for
from recordaccess.outreach.messages import TemplateError
from recordaccess.outreach.models import MessageTemplate, TemplateStatus
from recordaccess.practices.models import Practice


def rule_breaks(template: MessageTemplate, approach: str) -> list:
    return check(
        body=template.body,
        subject=template.subject,
        channel=template.channel,
        approach=approach,
        purpose=template.purpose,
        higher_risk=template.higher_risk,
    )


@transaction.atomic
def install_default_templates(*, actor: Actor, practice: Practice) -> int:
    """Add the default templates for the practice's approach that it does not have yet (by name)."""
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
    if new:
        record(
            actor=actor,
            action="templates.install_defaults",
            practice_ods=practice.ods_code,
            object_type="message_template",
            detail={"added": [t.name for t in new]},
        )
    return len(new)


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
    template.updated_by = actor.name
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


@transaction.atomic
def approve_template(*, actor: Actor, practice: Practice, template_id: int) -> MessageTemplate:
    template = MessageTemplate.objects.select_for_update().filter(practice=practice, pk=template_id).first()
    if template is None:
        raise TemplateError("That template no longer exists.")
    breaks = rule_breaks(template, practice.approach)
    if breaks:
        raise TemplateError("This template cannot be approved yet. " + " ".join(b.message for b in breaks))
    template.status, template.approved_by, template.approved_at = (
        TemplateStatus.APPROVED,
        actor.name,
        timezone.now(),
    )
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
