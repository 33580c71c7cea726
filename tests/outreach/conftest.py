"""Shared data for the outreach tests: patients who need each channel, approved templates, a campaign."""

import datetime

import pytest
from django.utils import timezone

from recordaccess.audit.services import Actor
from recordaccess.core.nhs_number import check_digit
from recordaccess.outreach.models import Campaign, Message, MessageStatus, MessageTemplate
from recordaccess.outreach.services import approve_template, create_campaign, install_default_templates
from recordaccess.patients.models import Cohort, Flag, FlagKind, Patient

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
