"""The demo practice's message templates, the defaults for its approach approved by the demo administrator, and a
draft launch campaign whose plan splits the wording: higher-risk (opt-in) for patients who need enhanced review."""

from recordaccess.audit.services import Actor
from recordaccess.outreach.models import MessageTemplate, TemplateStatus
from recordaccess.outreach.services import approve_template, create_campaign, install_default_templates
from recordaccess.patients.models import Cohort

DEMO_CAMPAIGN = "Launch: adults with a mobile"
# Not under review (no 104), yet it holds patients with safeguarding flags: they get the higher-risk wording.
DEMO_COHORT = "Adults with a mobile, not under review"


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
    report("campaigns", 1)
