"""Nothing reaches patients until the practice has agreed its approach and recorded its DPIA."""

import datetime

import pytest
from django.urls import reverse

from recordaccess.audit.services import Actor
from recordaccess.outreach.channels import OutboxChannel
from recordaccess.outreach.messages import TemplateError
from recordaccess.outreach.models import Campaign, MessageTemplate, OutboxItem
from recordaccess.outreach.sending import NotReadyToSend, send_batch
from recordaccess.outreach.services import (
    CampaignError,
    approve_campaign,
    approve_template,
    install_default_templates,
    set_campaign_sending,
)
from recordaccess.outreach.tasks import send_campaign
from recordaccess.practices.readiness import missing_before_patients
from recordaccess.practices.roles import Role
from recordaccess.practices.services import create_practice, update_dpia, update_practice
from tests import factories
from tests.outreach.conftest import APPROVER, AUTHOR

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("tests")


@pytest.fixture
def new_practice():
    """A practice as it is created: no approach agreed, no DPIA recorded."""
    practice = create_practice(actor=SYSTEM, ods_code="D84004", name="New Surgery")
    install_default_templates(actor=AUTHOR, practice=practice)
    return practice


def _sms(practice) -> MessageTemplate:
    return MessageTemplate.objects.get(practice=practice, channel="sms", purpose="announcement")


def test_a_new_practice_is_told_everything_missing_before_it_can_reach_patients(new_practice):
    assert [m.message for m in missing_before_patients(new_practice)] == [
        "Record the date the practice agreed its approach (opt-out, opt-in or hybrid).",
        "Record the DPIA's reference.",
        "Record the date the DPIA was completed.",
    ]


def test_no_template_is_approved_until_the_approach_is_agreed_and_the_dpia_recorded(new_practice):
    with pytest.raises(TemplateError, match="Record the DPIA's reference"):
        approve_template(actor=AUTHOR, practice=new_practice, template_id=_sms(new_practice).pk)
    update_practice(actor=SYSTEM, practice=new_practice, approach_agreed_on=datetime.date(2026, 1, 5))
    update_dpia(
        actor=SYSTEM, practice=new_practice, reference="DPIA-7", completed_on=datetime.date(2026, 1, 6)
    )
    assert missing_before_patients(new_practice) == []
    assert approve_template(
        actor=AUTHOR, practice=new_practice, template_id=_sms(new_practice).pk
    ).status == ("approved")


def test_no_campaign_is_approved_or_sent_while_the_dpia_is_not_recorded(practice, campaign):
    update_dpia(actor=SYSTEM, practice=practice, completed_on=None)
    with pytest.raises(CampaignError, match="Record the date the DPIA was completed"):
        approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk)
    update_dpia(actor=SYSTEM, practice=practice, completed_on=datetime.date(2026, 1, 6))
    approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk)
    update_dpia(actor=SYSTEM, practice=practice, reference="")
    with pytest.raises(CampaignError, match="Record the DPIA's reference"):
        set_campaign_sending(actor=APPROVER, practice=practice, campaign_id=campaign.pk, sending=True)
    Campaign.objects.filter(pk=campaign.pk).update(
        status="sending"
    )  # approved and sent before it was cleared
    with pytest.raises(NotReadyToSend, match="Record the DPIA's reference"):
        send_batch(Campaign.objects.get(pk=campaign.pk), OutboxChannel())
    assert not OutboxItem.objects.exists()


def test_the_pages_say_what_is_missing_and_link_to_it(client, new_practice):
    factories.sign_in(client, factories.staff(new_practice, Role.ADMINISTRATOR))
    for page in ("staff:templates", "staff:campaigns", "staff:dashboard"):
        html = client.get(reverse(page, kwargs={"ods": new_practice.ods_code})).content.decode()
        missing = html.split('id="not-ready"')[1].split("</div>")[0]
        assert "Record the DPIA&#39;s reference" in missing or "Record the DPIA's reference" in missing
        assert reverse("staff:dpia_edit", kwargs={"ods": new_practice.ods_code}) in missing
        assert reverse("staff:practice_edit", kwargs={"ods": new_practice.ods_code}) in missing


def test_a_campaign_sending_when_the_dpia_is_withdrawn_is_paused_by_its_worker(practice, campaign):
    approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk)
    Campaign.objects.filter(pk=campaign.pk).update(
        status="sending",
        window_start=datetime.time(0, 0),
        window_end=datetime.time(23, 59, 59),
        send_on_sundays=True,
    )
    update_dpia(actor=SYSTEM, practice=practice, completed_on=None)
    assert "Record the date the DPIA was completed" in send_campaign.call(campaign.pk)
    assert Campaign.objects.get(pk=campaign.pk).status == "paused"
    assert not OutboxItem.objects.exists()
