"""The reports tests' data: a practice with a little of everything at fixed days before a fixed TODAY (the
dashboard's), and an ICB with a PCN, their practices with patients whose every identifying detail is distinctive,
one practice outside both, and the ICB's observer (the organisations')."""

import dataclasses
import datetime

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from recordaccess.assurance.models import ExclusionSnapshot
from recordaccess.audit.services import Actor
from recordaccess.conversations.models import Booking, Slot
from recordaccess.intake import services as intake
from recordaccess.intake.models import AccessRequest, IdentityCheck, IdentityMethod, RequestStatus
from recordaccess.outreach.models import Campaign, DirectMessage, Message, MessageStatus
from recordaccess.patients.models import Cohort, Patient, Preference, RegistrationStatus
from recordaccess.practices import services
from recordaccess.practices.models import StaffUser
from recordaccess.practices.roles import Role
from recordaccess.questions import inbox
from recordaccess.questions.models import Question, QuestionRoute, QuestionState
from recordaccess.reports import refresh
from recordaccess.review import decisions
from recordaccess.review.decisions import DecisionInput
from recordaccess.review.models import Decision, Outcome, Review
from tests import factories
from tests.outreach.conftest import _number
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


TODAY = datetime.date(2026, 6, 15)  # a fixed Monday, before the tests run


def day(days_ago: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days_ago)


def at(days_ago: int, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day(days_ago), datetime.time(hour)))


def patient(practice, i: int, **fields) -> Patient:
    return Patient.objects.create(
        practice=practice,
        nhs_number=_number(i),
        given_name=f"Given{i}",
        family_name=f"Family{i}",
        date_of_birth=datetime.date(1970, 1, 1),
        registered_on=fields.pop("registered_on", datetime.date(2020, 1, 1)),
        **fields,
    )


def message(campaign, patient_, channel, status, sent_days_ago):
    made = Message.objects.create(
        campaign=campaign,
        patient=patient_,
        channel=channel,
        reference=f"RA-{campaign.pk}-{patient_.pk}",
        status=status,
    )
    Message.objects.filter(pk=made.pk).update(
        sent_at=at(sent_days_ago) if sent_days_ago is not None else None
    )
    return made


def access_request(practice, i, *, received, verified=None, claimed=None, decided=None, outcome=None):
    request, _ = intake.submit(
        practice=practice,
        details=intake.RequestDetails(
            wish="wants_access",
            given_name=f"Asker{i}",
            family_name=f"Surname{i}",
            date_of_birth=datetime.date(1980, 1, i),
            address="1 Road",
            postcode="LS1 4AP",
        ),
        route="online",
        actor=ACTOR,
    )
    AccessRequest.objects.filter(pk=request.pk).update(received_at=at(received))
    status = RequestStatus.RECEIVED
    if verified is not None:
        check = IdentityCheck.objects.create(
            request=request, method=IdentityMethod.DOCUMENTS, verified_by="t"
        )
        IdentityCheck.objects.filter(pk=check.pk).update(verified_at=at(verified))
        status = RequestStatus.WAITING
    if claimed is not None:
        Review.objects.create(request=request, practice=practice, first_claimed_at=at(claimed))
        status = RequestStatus.IN_REVIEW
    if decided is not None:
        someone = Patient.objects.filter(practice=practice).first() or patient(practice, 500 + i)
        made = Decision.objects.create(
            request=request,
            practice=practice,
            patient=someone,
            outcome=outcome,
            message="queued",
            decided_by="gp",
            decided_role="clinician",
        )
        Decision.objects.filter(pk=made.pk).update(decided_at=at(decided, hour=15))
        status = RequestStatus.DECIDED
    request.status = status
    request.save(update_fields=["status"])
    return request


def question(practice, *, asked, answered_hours=None, open_=False):
    made = inbox.receive(
        actor=ACTOR, practice=practice, route=QuestionRoute.LINK, topic="other", text="Private?"
    )
    asked_at = at(asked, hour=9)
    Question.objects.filter(pk=made.pk).update(
        asked_at=asked_at,
        answered_at=asked_at + datetime.timedelta(hours=answered_hours)
        if answered_hours is not None
        else None,
        state=QuestionState.NEW if open_ else QuestionState.ANSWERED,
    )


@pytest.fixture
def built(practice, settings):
    """A practice with a little of everything, at fixed days before TODAY."""
    settings.SMS_PRICE_PENCE = 2.0
    settings.LETTER_PRICE_PENCE = 60.0
    people = [patient(practice, i) for i in range(1, 11)]  # ten registered since 2020
    patient(practice, 11, registered_on=day(5))  # joined five days ago
    patient(practice, 12, status=RegistrationStatus.LEFT, left_on=day(20))  # left twenty days ago
    Patient.objects.filter(pk__in=[p.pk for p in people[:3]]).update(
        preference=Preference.WANTS_ACCESS, preference_recorded_at=at(10)
    )
    Patient.objects.filter(pk=people[3].pk).update(
        preference=Preference.NO_ACCESS, preference_recorded_at=at(40)
    )
    Patient.objects.filter(pk=people[4].pk).update(
        preference=Preference.HAS_QUESTIONS, preference_recorded_at=at(2)
    )

    cohort = Cohort.objects.create(practice=practice, name="All", filters={}, created_by="t")
    launch = Campaign.objects.create(practice=practice, name="Launch", cohort=cohort, created_by="t")
    message(launch, people[0], "sms", MessageStatus.DELIVERED, 30)
    message(launch, people[1], "sms", MessageStatus.PERMANENT_FAILURE, 30)
    message(launch, people[2], "email", MessageStatus.DELIVERED, 29)
    message(launch, people[3], "letter", MessageStatus.SENT, 28)
    message(launch, people[4], "sms", MessageStatus.QUEUED, None)  # never sent: not told
    again = Campaign.objects.create(practice=practice, name="Reminder", cohort=cohort, created_by="t")
    message(again, people[1], "email", MessageStatus.DELIVERED, 10)  # told twice: counted once as told
    Message.objects.filter(patient=people[4]).update(created_at=at(1))
    direct = DirectMessage.objects.create(
        practice=practice,
        reference="RA-direct-1",
        channel="sms",
        to="07700900001",
        body="x" * 200,
        status="sent",
    )
    DirectMessage.objects.filter(pk=direct.pk).update(sent_at=at(3))

    # Requests: received, verified (joining the list), claimed or decided (leaving it).
    access_request(practice, 1, received=50, verified=48, decided=40, outcome="granted")  # 10 days
    access_request(practice, 2, received=45, verified=44, claimed=30, decided=25, outcome="granted_redacted")
    access_request(practice, 3, received=35, verified=30, decided=5, outcome="deferred")  # 30 days
    access_request(practice, 4, received=20, verified=18)  # waiting since day 18, received day 20
    access_request(practice, 5, received=12, verified=12)  # waiting
    access_request(practice, 6, received=3)  # not verified yet
    access_request(practice, 7, received=8, verified=7, decided=4, outcome="declined")  # 4 days

    slot = Slot.objects.create(
        practice=practice, host="Dr A", starts_at=at(6), mode="phone", places=3, created_by="t"
    )
    Booking.objects.create(slot=slot, practice=practice, name="Booker One", booked_by="patient")
    Booking.objects.create(
        slot=slot, practice=practice, name="Booker Two", booked_by="patient", cancelled_at=at(7)
    )
    Slot.objects.create(
        practice=practice, host="Dr A", starts_at=at(-3), mode="phone", places=5, created_by="t"
    )

    question(practice, asked=20, answered_hours=2)
    question(practice, asked=15, answered_hours=30)
    question(practice, asked=4, answered_hours=5)
    question(practice, asked=9, open_=True)

    ExclusionSnapshot.objects.create(practice=practice, day=day(30), registered=10, held_back=1)
    ExclusionSnapshot.objects.create(practice=practice, day=day(3), registered=11, held_back=2)
    refresh.refresh_practice(practice, today=TODAY)
    return people
