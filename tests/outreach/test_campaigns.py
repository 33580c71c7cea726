import datetime

import pytest
from django.db import IntegrityError

from recordaccess.outreach.campaigns import plan_campaign, sms_estimate
from recordaccess.outreach.models import Message, MessageTemplate
from recordaccess.outreach.services import (
    CampaignError,
    approve_campaign,
    create_campaign,
)
from recordaccess.patients.models import Cohort, Flag, FlagKind, Patient
from tests.outreach.conftest import APPROVER, AUTHOR

pytestmark = pytest.mark.django_db


def test_each_patient_gets_the_channel_that_suits_them(campaign, people):
    chosen = {r.patient_id: (r.channel, r.format) for r in plan_campaign(campaign).recipients}
    assert chosen[people["sms"].pk] == ("sms", "")
    assert chosen[people["email"].pk] == ("email", "")
    assert chosen[people["letter"].pk] == ("letter", "")
    assert chosen[people["prefers_letter"].pk] == ("letter", "")
    assert chosen[people["large_print"].pk] == ("letter", "large_print_24")
    assert chosen[people["sms_failed"].pk] == ("email", "")


def test_the_plan_counts_every_channel_and_every_reason_left_out(campaign):
    assert campaign.plan == {
        "recipients": 6,
        "by_channel": {"sms": 1, "email": 2, "letter": 3},
        "by_wording": {"standard": 6, "review": 0},
        "by_format": {"large_print_24": 1},
        "left_out": {"under_16": 1, "told_recently": 1, "no_contact": 1},
    }


def test_without_an_sms_template_texting_patients_fall_back_or_are_counted_out(practice, campaign, people):
    campaign.sms_template = None
    plan = plan_campaign(campaign)
    assert {r.patient_id: r.channel for r in plan.recipients}[people["sms"].pk] == "email"


def test_the_author_cannot_approve_their_own_campaign(practice, campaign):
    with pytest.raises(CampaignError, match="Another administrator must approve"):
        approve_campaign(actor=AUTHOR, practice=practice, campaign_id=campaign.pk)


def test_approval_fixes_one_message_per_recipient_with_a_unique_reference(practice, campaign, people):
    approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk)
    messages = Message.objects.filter(campaign=campaign)
    assert messages.count() == 6
    assert set(messages.values_list("status", flat=True)) == {"queued"}
    assert messages.get(patient=people["sms"]).reference == f"RA-{campaign.pk}-{people['sms'].pk}"
    with pytest.raises(CampaignError, match="already been approved"):
        approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk)


def test_the_database_refuses_a_second_message_to_the_same_patient_in_a_campaign(practice, campaign, people):
    approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk)
    with pytest.raises(IntegrityError):
        Message.objects.create(campaign=campaign, patient=people["sms"], channel="sms", reference="another")


def test_an_unapproved_template_blocks_approval(practice, campaign, templates):
    MessageTemplate.objects.filter(pk=templates["email"].pk).update(status="draft")
    with pytest.raises(CampaignError, match="is not approved yet"):
        approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk)
    assert not Message.objects.filter(campaign=campaign).exists()


def test_another_practices_cohort_cannot_be_targeted(practice, other_practice, templates):
    theirs = Cohort.objects.create(practice=other_practice, name="Theirs", filters={}, created_by="t")
    with pytest.raises(CampaignError, match="another practice"):
        create_campaign(actor=AUTHOR, practice=practice, name="Wrong", cohort=theirs, templates=templates)


def test_the_texts_cost_is_estimated_before_sending_with_the_longest_name(
    practice, campaign, people, settings
):
    settings.SMS_PRICE_PENCE = 2.5
    body = "Dear ((first name)), " + campaign.sms_template.body
    MessageTemplate.objects.filter(pk=campaign.sms_template_id).update(body=body)
    campaign.refresh_from_db()
    estimate = sms_estimate(campaign, "https://riverside.example")
    texts = campaign.plan["by_channel"]["sms"]
    assert estimate.messages == texts and estimate.length.encoding == "GSM-7"
    assert estimate.fragments == estimate.length.fragments * texts
    assert estimate.cost_pence == round(estimate.fragments * 2.5, 2)
    Patient.objects.filter(pk=people["sms"].pk).update(given_name="Bartholomew-Maximilian-Alexander" * 3)
    longer = sms_estimate(campaign, "https://riverside.example")
    assert longer.length.characters > estimate.length.characters
    MessageTemplate.objects.filter(pk=campaign.sms_template_id).update(
        body=campaign.sms_template.body + " 😊"
    )
    campaign.refresh_from_db()
    assert sms_estimate(campaign, "https://riverside.example").length.encoding == "Unicode"


def test_the_plan_marks_who_needs_enhanced_review_by_the_one_rule(campaign, people):
    """H47: campaigns read the codes by date as decisions do (a 104 after a 106 still needs review)."""
    for who, first, then in (
        ("sms", FlagKind.REVIEW_NOT_INDICATED, FlagKind.ENHANCED_REVIEW),
        ("email", FlagKind.ENHANCED_REVIEW, FlagKind.REVIEW_NOT_INDICATED),
    ):
        Flag.objects.create(
            patient=people[who], kind=first, code="1", term="x", recorded_on=datetime.date(2023, 1, 1)
        )
        Flag.objects.create(
            patient=people[who], kind=then, code="2", term="x", recorded_on=datetime.date(2024, 1, 1)
        )
    plan = plan_campaign(campaign)
    recipients = {r.patient_id: r for r in plan.recipients}
    # The campaign has no review wording, so the patient who needs review gets no announcement at all.
    assert people["sms"].pk not in recipients and plan.left_out["no_review_template"] == 1
    assert recipients[people["email"].pk].needs_review is False
