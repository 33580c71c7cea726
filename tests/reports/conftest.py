"""An ICB with a PCN, their practices with patients whose every identifying detail is distinctive, one practice
outside both, and the ICB's observer."""

import dataclasses
import datetime

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from recordaccess.assurance.models import ExclusionSnapshot
from recordaccess.audit.services import Actor
from recordaccess.patients.models import Patient
from recordaccess.practices import services
from recordaccess.practices.models import StaffUser
from recordaccess.practices.roles import Role
from recordaccess.review import decisions
from recordaccess.review.decisions import DecisionInput
from recordaccess.review.models import Decision, Outcome
from tests import factories
from tests.review.conftest import CLEAR, REVIEWER, waiting_request

ACTOR = Actor.system("tests")


@dataclasses.dataclass
class World:
    icb: object
    pcn: object
    in_pcn: object  # a practice of the PCN (so the ICB's too)
    in_icb: object  # a practice held by the ICB directly
    outside: object  # a practice of neither
    observer: StaffUser  # observes the ICB
    pcn_observer: StaffUser  # observes the PCN
    identifying: list[str]  # every patient-identifiable value in the fixtures


def observer_account(organisation, username: str) -> StaffUser:
    user = services.add_organisation_observer_account(
        actor=ACTOR,
        organisation=organisation,
        username=username,
        password=factories.TEST_PASSWORD,
        email=f"{username}@icb.example.nhs.uk",
    )
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


def granted(practice, *, level: str = "prospective", **details) -> Decision:
    request = waiting_request(practice, level=level, **details)
    decisions.claim(actor=REVIEWER, request=request)
    decisions.save_checklist(actor=REVIEWER, role=Role.REVIEWER, request=request, answers=CLEAR)
    given = DecisionInput(
        outcome=Outcome.GRANTED,
        nhs_number=request.patient.nhs_number,
        access_level=level,
        access_from=timezone.localdate(),
    )
    return decisions.decide(actor=REVIEWER, role=Role.REVIEWER, request=request, given=given)


def identifying_values(practices) -> list[str]:
    """Every identifying detail of every patient and request of the practices, in the forms a page would show."""
    from recordaccess.intake.models import AccessRequest

    values = set()
    for patient in Patient.objects.filter(practice__in=practices):
        born = patient.date_of_birth
        values |= {
            patient.nhs_number,
            f"{patient.nhs_number[:3]} {patient.nhs_number[3:6]} {patient.nhs_number[6:]}",
            patient.given_name,
            patient.family_name,
            born.isoformat(),
            born.strftime("%d/%m/%Y"),
            f"{born.day} {born:%B %Y}",
            patient.postcode,
            patient.mobile,
            patient.email,
            patient.address_line_1,
        }
    for request in AccessRequest.objects.filter(practice__in=practices):
        values |= {
            request.reference,
            request.reference_display,
            request.given_name,
            request.family_name,
            request.postcode,
            request.mobile,
            request.email,
        }
    return sorted(value for value in values if value)


@pytest.fixture
def world(db) -> World:
    icb = services.create_organisation(actor=ACTOR, code="QWE", name="West Moor ICB", kind="icb")
    pcn = services.create_organisation(
        actor=ACTOR, code="U00001", name="Riverside PCN", kind="pcn", parent_code="QWE"
    )
    in_pcn = factories.practice("B00001", name="Beck Lane Surgery")
    in_icb = factories.practice("C00001", name="Aire Valley Practice")
    outside = factories.practice("Z00001", name="Elsewhere Medical Centre")
    services.change_organisation_practices(actor=ACTOR, organisation=pcn, add=[in_pcn.ods_code])
    services.change_organisation_practices(actor=ACTOR, organisation=icb, add=[in_icb.ods_code])
    for n, practice in enumerate([in_pcn, in_icb, outside]):
        Patient.objects.create(
            practice=practice,
            nhs_number=f"94{n}0000019"[:10],
            given_name=f"Zebedee{n}",
            family_name=f"Quixotic{n}",
            date_of_birth=datetime.date(1961, 7, 23 + n),
            postcode=f"LS9 {n}QQ",
            mobile=f"0770090077{n}",
            email=f"zebedee{n}@patients.example",
            address_line_1=f"{n + 7} Unusual Crescent",
            online_account_since=timezone.localdate() - datetime.timedelta(days=400),
        )
        granted(practice, level="coded", email=f"coded{n}@patients.example")
        granted(practice, level="summary")
        waiting_request(practice)
    ExclusionSnapshot.objects.create(
        practice=in_icb, day=timezone.localdate(), registered=10, held_back=6, by_reason={"withheld": 6}
    )
    return World(
        icb=icb,
        pcn=pcn,
        in_pcn=in_pcn,
        in_icb=in_icb,
        outside=outside,
        observer=observer_account(icb, "icb-observer"),
        pcn_observer=observer_account(pcn, "pcn-observer"),
        identifying=identifying_values([in_pcn, in_icb, outside]),
    )


@pytest.fixture
def observer_client(client, world):
    return factories.sign_in(client, world.observer)
