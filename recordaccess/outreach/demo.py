"""The demo practice's message templates, the defaults for its approach approved by the demo administrator, a
draft launch campaign whose plan splits the wording: higher-risk (opt-in) for patients who need enhanced review,
and a letter campaign already sent to the outbox, each letter in the format its patient needs (easy read, large
print). Three of its patients then answer by their own link (replies/demo.py)."""

from recordaccess.audit.services import Actor
from recordaccess.outreach.channels import OutboxChannel
from recordaccess.outreach.models import Campaign, CampaignStatus, MessageTemplate, TemplateStatus
from recordaccess.outreach.sending import send_batch
from recordaccess.outreach.services import (
    approve_campaign,
    approve_template,
    create_campaign,
    install_default_templates,
)
from recordaccess.patients.models import Cohort

DEMO_CAMPAIGN = "Launch: adults with a mobile"
# Not under review (no 104), yet it holds patients with safeguarding flags: they get the higher-risk wording.
DEMO_COHORT = "Adults with a mobile, not under review"
LETTERS_CAMPAIGN = "Letters in the format each patient needs"
LETTERS_COHORT = "Need easy read or large print"


def load(*, practice, report) -> None:
    admin = Actor.system("demo-admin")
    report("templates", install_default_templates(actor=admin, practice=practice))
    for template in practice.message_templates.filter(status=TemplateStatus.DRAFT):
        approve_template(actor=admin, practice=practice, template_id=template.pk)
    if practice.campaigns.filter(name=DEMO_CAMPAIGN).exists():
        report("campaigns", 0)
        return
    cohort = Cohort.objects.filter(practice=practice, name=DEMO_COHORT).first()
    if cohort is None:
        report("campaigns", 0)
        return
    announcements = MessageTemplate.objects.filter(
        practice=practice, purpose="announcement", status=TemplateStatus.APPROVED
    ).order_by("pk")
    templates = {}
    for channel in ("sms", "email", "letter"):
        templates[channel] = announcements.filter(channel=channel, higher_risk=False).first()
        templates[f"{channel}_review"] = announcements.filter(channel=channel, higher_risk=True).first()
    create_campaign(actor=admin, practice=practice, name=DEMO_CAMPAIGN, cohort=cohort, templates=templates)
    letters = {key: templates[key] for key in ("letter", "letter_review")}
    report("campaigns", 1 + send_letters(practice, admin, letters))


def send_letters(practice, admin: Actor, templates: dict) -> int:
    """The letter campaign, approved by the second administrator and put in the outbox (the demo never reaches
    Notify); replies/demo.py then answers three of its letters."""
    cohort = Cohort.objects.filter(practice=practice, name=LETTERS_COHORT).first()
    if cohort is None or None in templates.values():  # a practice made by hand may lack a wording
        return 0
    campaign = create_campaign(
        actor=admin, practice=practice, name=LETTERS_CAMPAIGN, cohort=cohort, templates=templates
    )
    campaign = approve_campaign(actor=Actor.system("demo-ig"), practice=practice, campaign_id=campaign.pk)
    while send_batch(campaign, OutboxChannel()):
        pass
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.COMPLETED)
    return 1
