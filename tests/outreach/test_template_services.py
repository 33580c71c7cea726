import json

import pytest

from recordaccess.audit.models import AuditEntry
from recordaccess.audit.services import Actor
from recordaccess.outreach.messages import TemplateError
from recordaccess.outreach.models import MessageTemplate
from recordaccess.outreach.services import approve_template, install_default_templates, save_template

pytestmark = pytest.mark.django_db
PM = Actor(1, "pm.jones")


def test_a_practice_gets_the_defaults_for_its_approach_once(practice):
    added = install_default_templates(actor=PM, practice=practice)
    assert added == MessageTemplate.objects.filter(practice=practice).count() > 10
    assert install_default_templates(actor=PM, practice=practice) == 0
    assert AuditEntry.objects.filter(action="templates.install_defaults").count() == 1


def test_a_default_template_can_be_approved(practice):
    install_default_templates(actor=PM, practice=practice)
    sms = MessageTemplate.objects.get(practice=practice, channel="sms", purpose="announcement")
    approved = approve_template(actor=PM, practice=practice, template_id=sms.pk)
    assert (approved.status, approved.approved_by) == ("approved", "pm.jones")


def test_a_template_that_breaks_a_rule_cannot_be_approved_and_says_why(practice):
    install_default_templates(actor=PM, practice=practice)
    sms = MessageTemplate.objects.get(practice=practice, channel="sms", purpose="announcement")
    save_template(
        actor=PM, practice=practice, template_id=sms.pk, subject="", body="Your safeguarding review is due."
    )
    with pytest.raises(TemplateError) as refused:
        approve_template(actor=PM, practice=practice, template_id=sms.pk)
    message = str(refused.value)
    assert "((DPIA reference))" in message and "'safeguarding'" in message
    assert MessageTemplate.objects.get(pk=sms.pk).status == "draft"


def test_editing_an_approved_template_sends_it_back_to_draft_and_is_audited(practice):
    install_default_templates(actor=PM, practice=practice)
    sms = MessageTemplate.objects.get(practice=practice, channel="sms", purpose="announcement")
    approve_template(actor=PM, practice=practice, template_id=sms.pk)
    save_template(
        actor=Actor(2, "r.patel"),
        practice=practice,
        template_id=sms.pk,
        subject="",
        body=sms.body + " Thanks.",
    )
    sms.refresh_from_db()
    assert (sms.status, sms.approved_by, sms.updated_by) == ("draft", "", "r.patel")
    detail = json.loads(AuditEntry.objects.get(action="template.update").detail)
    assert detail["after"]["body"].endswith("Thanks.")


def test_another_practices_template_cannot_be_touched(practice, other_practice):
    install_default_templates(actor=PM, practice=other_practice)
    theirs = MessageTemplate.objects.filter(practice=other_practice).first()
    with pytest.raises(TemplateError, match="no longer exists"):
        approve_template(actor=PM, practice=practice, template_id=theirs.pk)
