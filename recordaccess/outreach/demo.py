"""The demo practice's message templates: the defaults for its approach, approved by the demo administrator."""

from recordaccess.audit.services import Actor
from recordaccess.outreach.models import TemplateStatus
from recordaccess.outreach.services import approve_template, install_default_templates


def load(*, practice, report) -> None:
    admin = Actor.system("demo-admin")
    report("templates", install_default_templates(actor=admin, practice=practice))
    for template in practice.message_templates.filter(status=TemplateStatus.DRAFT):
        approve_template(actor=admin, practice=practice, template_id=template.pk)
