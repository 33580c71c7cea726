"""Changing the practice's approach re-checks every approved template: the old wording stops the day it changes."""

import pytest
from django.conf import settings
from django.urls import reverse

from recordaccess.audit.models import AuditEntry
from recordaccess.audit.services import Actor
from recordaccess.outreach.channels import OutboxChannel
from recordaccess.outreach.models import Campaign, MessageTemplate, OutboxItem
from recordaccess.outreach.selectors import published_notice
from recordaccess.outreach.sending import NotReadyToSend, send_batch
from recordaccess.outreach.services import (
    CampaignError,
    approve_campaign,
    approve_template,
    install_default_templates,
    set_campaign_sending,
)
from recordaccess.practices.roles import Role
from recordaccess.practices.services import update_practice
from tests import factories
from tests.outreach.conftest import APPROVER, AUTHOR

pytestmark = pytest.mark.django_db
MANAGER = Actor(3, "pm.jones")


@pytest.fixture
def hybrid():
    practice = factories.practice("E85005", name="Hybrid Surgery", approach="hybrid")
    install_default_templates(actor=AUTHOR, practice=practice)
    for template in practice.message_templates.all():
        approve_template(actor=AUTHOR, practice=practice, template_id=template.pk)
    return practice


def test_switching_hybrid_to_opt_in_withdraws_every_approval_that_now_breaks_the_rules(hybrid):
    update_practice(actor=MANAGER, practice=hybrid, approach="opt_in")
    withdrawn = MessageTemplate.objects.filter(practice=hybrid, status="draft")
    # The eight opt-out announcements (text, email, letter, website, poster, social, script, snippet) now break
    # the rules.
    assert sorted(withdrawn.values_list("name", flat=True)) == sorted(
        [
            "Text message",
            "Email",
            "Letter",
            "Website notice",
            "Waiting-room poster",
            "Social media post",
            "What to say in a consultation",
            "Snippet for newsletters, prescription slips and email signatures",
        ]
    )
    assert all("opt-in" in t.withdrawn_note and "must ask" in t.withdrawn_note for t in withdrawn)
    still = MessageTemplate.objects.filter(practice=hybrid, status="approved")
    assert "Text message (higher risk)" in set(still.values_list("name", flat=True))
    entry = AuditEntry.objects.get(action="templates.withdraw_approval")
    assert "Website notice" in entry.detail


def test_the_website_notice_follows_the_approach(hybrid):
    assert "If you do not want to see your record online" in published_notice(
        hybrid, settings.PUBLIC_BASE_URL
    )
    update_practice(actor=MANAGER, practice=hybrid, approach="opt_in")
    assert published_notice(hybrid, settings.PUBLIC_BASE_URL) is None
    assert install_default_templates(actor=MANAGER, practice=hybrid) == 8  # restored for opt-in
    notice = MessageTemplate.objects.get(practice=hybrid, name="Website notice")
    assert "you need to ask us" in notice.body and notice.withdrawn_note == ""
    approve_template(actor=AUTHOR, practice=hybrid, template_id=notice.pk)
    html = published_notice(hybrid, settings.PUBLIC_BASE_URL)
    assert "you need to ask us" in html and "If you do not want to see your record online" not in html


def test_an_edited_template_that_still_passes_keeps_its_approval_and_its_words(hybrid):
    update_practice(actor=MANAGER, practice=hybrid, approach="opt_out")
    assert MessageTemplate.objects.get(practice=hybrid, name="Website notice").status == "approved"
    assert MessageTemplate.objects.get(practice=hybrid, name="Text message (higher risk)").status == "draft"


def test_the_administrator_sees_which_templates_lost_their_approval_and_why(client, hybrid):
    factories.sign_in(client, factories.staff(hybrid, Role.ADMINISTRATOR))
    response = client.post(
        reverse("staff:practice_edit", kwargs={"ods": hybrid.ods_code}),
        {"name": hybrid.name, "approach": "opt_in", "approach_agreed_on": "2026-02-01"},
        follow=True,
    )
    assert "8 templates lost their approval" in response.content.decode()
    page = client.get(reverse("staff:templates", kwargs={"ods": hybrid.ods_code})).content.decode()
    withdrawn = page.split('id="withdrawn"')[1].split("</div>")[0]
    assert "Website notice" in withdrawn and "must ask" in withdrawn


def test_an_approved_campaign_whose_wording_lost_its_approval_sends_nothing_more(practice, campaign):
    approved = approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk)
    update_practice(actor=MANAGER, practice=practice, approach="opt_in")
    with pytest.raises(CampaignError, match="Approval was withdrawn from"):
        set_campaign_sending(actor=APPROVER, practice=practice, campaign_id=approved.pk, sending=True)
    Campaign.objects.filter(pk=approved.pk).update(status="sending")  # it was already sending
    with pytest.raises(NotReadyToSend, match="Approval was withdrawn from"):
        send_batch(Campaign.objects.get(pk=approved.pk), OutboxChannel())
    assert not OutboxItem.objects.exists()
