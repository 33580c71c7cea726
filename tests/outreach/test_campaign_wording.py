"""Which wording each patient in a campaign gets: patients who need enhanced review never get the opt-out text."""

import datetime

import pytest
from django.urls import reverse

from recordaccess.outreach.campaigns import plan_campaign
from recordaccess.outreach.channels import OutboxChannel
from recordaccess.outreach.models import MessageTemplate, OutboxItem
from recordaccess.outreach.sending import send_batch
from recordaccess.outreach.services import (
    CampaignError,
    approve_campaign,
    approve_template,
    create_campaign,
    install_default_templates,
)
from recordaccess.patients.models import Cohort, Flag, FlagKind, Patient
from recordaccess.practices.roles import Role
from tests import factories
from tests.outreach.conftest import APPROVER, AUTHOR, _number

pytestmark = pytest.mark.django_db

OPT_OUT_TEXT = "If you do not want this"
RISK_FLAGS = (
    (FlagKind.ENHANCED_REVIEW, "1364731000000104"),
    (FlagKind.SAFEGUARDING_ADULT, "1365001000000107"),
    (FlagKind.SAFEGUARDING_CHILD, "1364991000000107"),
    (FlagKind.DOMESTIC_ABUSE, "1365011000000109"),
)


def _patients(practice, flagged: int, unflagged: int) -> tuple[list, list]:
    made = []
    for i in range(flagged + unflagged):
        made.append(
            Patient.objects.create(
                practice=practice,
                nhs_number=_number(100 + i),
                given_name=f"W{i}",
                family_name="T",
                date_of_birth=datetime.date(1980, 1, 1),
                mobile=f"07700900{100 + i:03d}",
            )
        )
    for i, patient in enumerate(made[:flagged]):
        kind, code = RISK_FLAGS[i % len(RISK_FLAGS)]
        Flag.objects.create(patient=patient, kind=kind, code=code, term=kind.label)
    return made[:flagged], made[flagged:]


def _approved(practice, **filters) -> MessageTemplate:
    template = MessageTemplate.objects.get(practice=practice, channel="sms", **filters)
    return approve_template(actor=AUTHOR, practice=practice, template_id=template.pk)


def _campaign(practice, templates):
    cohort = Cohort.objects.create(practice=practice, name="Adults", filters={}, created_by="t")
    return create_campaign(actor=AUTHOR, practice=practice, name="Launch", cohort=cohort, templates=templates)


def _send_all(campaign) -> dict[int, str]:
    channel = OutboxChannel()
    while send_batch(campaign, channel):
        pass
    return dict(OutboxItem.objects.values_list("message__patient_id", "body"))


@pytest.fixture
def hybrid():
    practice = factories.practice("C83003", name="Hybrid Surgery", approach="hybrid")
    install_default_templates(actor=AUTHOR, practice=practice)
    return practice


def test_in_a_hybrid_practice_flagged_patients_get_the_higher_risk_wording_and_the_rest_the_opt_out(hybrid):
    flagged, unflagged = _patients(hybrid, flagged=12, unflagged=5)
    campaign = _campaign(
        hybrid,
        {
            "sms": _approved(hybrid, purpose="announcement", higher_risk=False),
            "sms_review": _approved(hybrid, purpose="announcement", higher_risk=True),
        },
    )
    assert campaign.plan["by_wording"] == {"standard": 5, "review": 12}
    bodies = _send_all(approve_campaign(actor=APPROVER, practice=hybrid, campaign_id=campaign.pk))
    for patient in flagged:
        assert "you need to ask us" in bodies[patient.pk] and OPT_OUT_TEXT not in bodies[patient.pk]
    for patient in unflagged:
        assert OPT_OUT_TEXT in bodies[patient.pk]


def test_a_hybrid_campaign_without_a_higher_risk_template_cannot_be_approved_for_flagged_patients(hybrid):
    _patients(hybrid, flagged=2, unflagged=3)
    campaign = _campaign(hybrid, {"sms": _approved(hybrid, purpose="announcement", higher_risk=False)})
    assert campaign.plan["left_out"] == {"no_review_template": 2}
    with pytest.raises(CampaignError, match="2 patients in this cohort need enhanced review"):
        approve_campaign(actor=APPROVER, practice=hybrid, campaign_id=campaign.pk)


def test_a_hybrid_campaign_with_no_flagged_patients_needs_no_higher_risk_template(hybrid):
    _patients(hybrid, flagged=0, unflagged=3)
    campaign = _campaign(hybrid, {"sms": _approved(hybrid, purpose="announcement", higher_risk=False)})
    approve_campaign(actor=APPROVER, practice=hybrid, campaign_id=campaign.pk)
    assert campaign.plan["by_wording"] == {"standard": 3, "review": 0}


def test_the_opt_out_text_is_not_accepted_as_the_higher_risk_wording(hybrid):
    standard = _approved(hybrid, purpose="announcement", higher_risk=False)
    with pytest.raises(CampaignError, match="higher-risk"):
        _campaign(hybrid, {"sms": standard, "sms_review": standard})


def test_in_an_opt_out_practice_flagged_patients_get_the_enhanced_review_message(practice):
    install_default_templates(actor=AUTHOR, practice=practice)
    flagged, unflagged = _patients(practice, flagged=4, unflagged=2)
    campaign = _campaign(
        practice,
        {
            "sms": _approved(practice, purpose="announcement"),
            "sms_review": _approved(practice, purpose="enhanced_review"),
        },
    )
    bodies = _send_all(approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk))
    for patient in flagged:
        assert "you can still ask" in bodies[patient.pk] and OPT_OUT_TEXT not in bodies[patient.pk]
    for patient in unflagged:
        assert OPT_OUT_TEXT in bodies[patient.pk]


def test_a_106_dated_after_the_104_means_the_standard_wording(hybrid):
    (patient,), _ = _patients(hybrid, flagged=1, unflagged=0)
    Flag.objects.filter(patient=patient).update(recorded_on=datetime.date(2023, 1, 1))
    Flag.objects.create(
        patient=patient,
        kind=FlagKind.REVIEW_NOT_INDICATED,
        code="1364751000000106",
        term="review not indicated",
        recorded_on=datetime.date(2024, 1, 1),
    )
    campaign = _campaign(hybrid, {"sms": _approved(hybrid, purpose="announcement", higher_risk=False)})
    assert plan_campaign(campaign).counts()["by_wording"] == {"standard": 1, "review": 0}


def test_the_campaign_page_shows_how_many_get_each_wording_before_approval(client, hybrid):
    _patients(hybrid, flagged=3, unflagged=4)
    higher_risk = _approved(hybrid, purpose="announcement", higher_risk=True)
    campaign = _campaign(
        hybrid,
        {"sms": _approved(hybrid, purpose="announcement", higher_risk=False), "sms_review": higher_risk},
    )
    factories.sign_in(client, factories.staff(hybrid, Role.ADMINISTRATOR))
    form = client.get(reverse("staff:campaign_new", kwargs={"ods": hybrid.ods_code})).content.decode()
    assert 'id="review-wording"' in form and higher_risk.name in form
    page = client.get(
        reverse("staff:campaign", kwargs={"ods": hybrid.ods_code, "campaign_id": campaign.pk})
    ).content.decode()
    table = page.split('id="campaign-wording"')[1].split("</table>")[0]
    assert "Higher-risk (opt-in) wording" in table and higher_risk.name in table
    assert [cell.split("<")[0] for cell in table.split('numeric">')[1:]] == ["4", "3"]
