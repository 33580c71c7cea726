import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from recordaccess.audit.services import Actor
from recordaccess.outreach.campaigns import plan_campaign
from recordaccess.outreach.models import Campaign, Message, MessageStatus, MessageTemplate
from recordaccess.outreach.services import (
    CampaignError,
    approve_campaign,
    approve_template,
    create_campaign,
    install_default_templates,
)
from recordaccess.patients.models import Cohort, Flag, FlagKind, Patient
from recordaccess.patients.nhs_number import check_digit

pytestmark = pytest.mark.django_db
AUTHOR, APPROVER = Actor(1, "pm.jones"), Actor(2, "ig.lead")


def _number(i: int) -> str:
    stem = 999_100_000 + i * 7
    while check_digit(f"{stem:09d}") is None:
        stem += 1
    return f"{stem:09d}{check_digit(f'{stem:09d}')}"


@pytest.fixture
def people(practice):
    def make(i, **extra):
        defaults = {"date_of_birth": datetime.date(1980, 1, 1)}
        return Patient.objects.create(
            practice=practice,
            nhs_number=_number(i),
            given_name=f"P{i}",
            family_name="T",
            **{**defaults, **extra},
        )

    return {
        "sms": make(
            1, mobile="07700900001", email="a@example.com", address_line_1="1 St", postcode="LS1 4AP"
        ),
        "email": make(2, email="b@example.com", address_line_1="2 St", postcode="LS1 4AP"),
        "letter": make(3, address_line_1="3 St", postcode="LS1 4AP"),
        "prefers_letter": make(4, mobile="07700900004", address_line_1="4 St", postcode="LS1 4AP"),
        "large_print": make(5, address_line_1="5 St", postcode="LS1 4AP"),
        "nothing": make(6),
        "told": make(7, mobile="07700900007", last_contacted_at=timezone.now() - datetime.timedelta(days=3)),
        "sms_failed": make(8, mobile="07700900008", email="h@example.com"),
        "child": make(
            9, mobile="07700900009", date_of_birth=datetime.date.today() - datetime.timedelta(days=365 * 10)
        ),
    }


@pytest.fixture
def templates(practice):
    install_default_templates(actor=AUTHOR, practice=practice)
    chosen = {}
    for channel in ("sms", "email", "letter"):
        template = MessageTemplate.objects.get(practice=practice, channel=channel, purpose="announcement")
        chosen[channel] = approve_template(actor=AUTHOR, practice=practice, template_id=template.pk)
    return chosen


@pytest.fixture
def campaign(practice, people, templates):
    Flag.objects.create(
        patient=people["prefers_letter"], kind=FlagKind.CONTACT_LETTER, code="936721000000107", term="letter"
    )
    Flag.objects.create(
        patient=people["large_print"], kind=FlagKind.LARGE_PRINT, code="957351000000102", term="24 pt"
    )
    earlier = Campaign.objects.create(
        practice=practice,
        name="Earlier",
        cohort=Cohort.objects.create(practice=practice, name="x", filters={}, created_by="t"),
        created_by="t",
    )
    Message.objects.create(
        campaign=earlier,
        patient=people["sms_failed"],
        channel="sms",
        reference="RA-old-8",
        status=MessageStatus.PERMANENT_FAILURE,
    )
    cohort = Cohort.objects.create(
        practice=practice, name="Everyone incl. children", filters={"include_under_16": True}, created_by="t"
    )
    return create_campaign(actor=AUTHOR, practice=practice, name="Launch", cohort=cohort, templates=templates)


def test_each_patient_gets_the_channel_that_suits_them(campaign, people):
    chosen = {r.patient_id: (r.channel, r.format) for r in plan_campaign(campaign).recipients}
    assert chosen[people["sms"].pk] == ("sms", "")
    assert chosen[people["email"].pk] == ("email", "")
    assert chosen[people["letter"].pk] == ("letter", "")
    assert chosen[people["prefers_letter"].pk] == ("letter", "")
    assert chosen[people["large_print"].pk] == ("letter", "large_print")
    assert chosen[people["sms_failed"].pk] == ("email", "")


def test_the_plan_counts_every_channel_and_every_reason_left_out(campaign):
    assert campaign.plan == {
        "recipients": 6,
        "by_channel": {"sms": 1, "email": 2, "letter": 3},
        "by_format": {"large_print": 1},
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
