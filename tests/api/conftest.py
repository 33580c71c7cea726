import pytest

from recordaccess.api.models import PRACTICE_SCOPES
from recordaccess.api.services import create_token
from recordaccess.audit.services import Actor
from recordaccess.practices.models import Organisation, OrganisationKind, OrganisationPractice

ADMIN = Actor.system("manager-pat")
ALL = sorted(str(s) for s in PRACTICE_SCOPES)


@pytest.fixture
def make_token():
    """make_token(practice=…, scopes=[…]) → the secret to send, as its holder would have copied it."""

    def make(*, practice=None, organisation=None, scopes=None, days=30, name="Consultation tool"):
        chosen = scopes if scopes is not None else (ALL if practice is not None else ["figures:read"])
        _token, secret = create_token(
            actor=ADMIN, practice=practice, organisation=organisation, name=name, scopes=chosen, days=days
        )
        return secret

    return make


@pytest.fixture
def organisation(practice, other_practice):
    pcn = Organisation.objects.create(code="U12345", name="Riverside PCN", kind=OrganisationKind.PCN)
    for member in (practice, other_practice):
        OrganisationPractice.objects.create(organisation=pcn, practice=member)
    return pcn


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def practice_data(practice, other_practice):
    """In each practice: a request decided (its code on the worklist) and a campaign with messages, made through
    the services, with names, NHS numbers, dates of birth, postcodes, phones and emails to look for."""
    from recordaccess.outreach.models import Campaign, Message, MessageStatus
    from recordaccess.patients.models import Cohort

    made = {}
    for each in (practice, other_practice):
        decision = _decided(each)
        cohort = Cohort.objects.create(practice=each, name="Everyone", filters={}, created_by="t")
        campaign = Campaign.objects.create(practice=each, name="Launch", cohort=cohort, created_by="t")
        Message.objects.create(
            campaign=campaign,
            patient=decision.patient,
            channel="sms",
            reference=f"RA-{each.ods_code}-1",
            status=MessageStatus.DELIVERED,
        )
        made[each.ods_code] = {"decision": decision, "campaign": campaign, "request": decision.request}
    return made


def _decided(practice):
    """A request granted after review, as review's own tests make one: its code goes on the worklist."""
    from django.utils import timezone

    from recordaccess.practices.roles import Role
    from recordaccess.review import decisions
    from recordaccess.review.decisions import DecisionInput
    from tests.review.conftest import CLEAR, REVIEWER, waiting_request

    request = waiting_request(practice, email="alex.morgan@example.org")
    decisions.claim(actor=REVIEWER, request=request)
    decisions.save_checklist(actor=REVIEWER, role=Role.REVIEWER, request=request, answers=CLEAR)
    given = DecisionInput(
        outcome="granted",
        nhs_number=request.patient.nhs_number,
        access_level="prospective",
        access_from=timezone.localdate(),
    )
    return decisions.decide(actor=REVIEWER, role=Role.REVIEWER, request=request, given=given)
