"""A practice with something behind every item of the overview, for the overview's tests and its browser test."""

import datetime

from django.utils import timezone

from recordaccess.assurance.models import Assessment, ExclusionSnapshot, Sweep
from recordaccess.assurance.sweep import week_of
from recordaccess.conversations.models import Booking, Slot
from recordaccess.intake.models import AccessRequest, MatchStatus, RequestStatus
from recordaccess.outreach.models import Campaign, MessageTemplate
from recordaccess.patients.models import Cohort, ImportStatus, Patient, RegisterImport
from recordaccess.practices.models import Dpia
from recordaccess.questions.models import Question, QuestionRoute, QuestionState
from recordaccess.review.models import Review

# What each role's overview shows for the practice `fill` makes: (count, label) in order.
EXPECTED = {
    "administrator": [
        (1, "campaign awaiting a second approval"),
        (1, "template failing the content rules"),
        (1, "DPIA review due or past"),
        (1, "change of approach since the DPIA was signed off"),
        (1, "weekly safety sweep overdue"),
        (1, "warning: the share of patients held back needs an action plan"),
        (1, "register import that failed"),
        (1, "new question to pick up"),
        (1, "question overdue"),
    ],
    "reception": [
        (1, "request to match"),
        (1, "identity to check"),
        (1, "new question to pick up"),
        (1, "question overdue"),
        (1, "booking today"),
    ],
    "reviewer": [
        (1, "weekly safety sweep overdue"),
        (1, "request you have claimed"),
        (40, "days the oldest request has waited"),
        (1, "request past the target"),
        (1, "question passed to a clinician"),
    ],
    "observer": [(2, "requests waiting"), (1, "request past the target")],
}
# Where each role's items lead, under the practice.
LINKS = {
    "administrator": [
        "campaigns/",
        "templates/",
        "dpia/",
        "dpia/",
        "sweeps/",
        "exclusion/",
        "register/",
        "inbox/?show=new",
        "inbox/?show=overdue",
    ],
    "reception": [
        "requests/?show=needs_matching",
        "requests/?show=matched",
        "inbox/?show=new",
        "inbox/?show=overdue",
        "conversations/",
    ],
    "reviewer": [
        "sweeps/",
        "waiting-list/",
        "waiting-list/",
        "waiting-list/?show=past_target",
        "inbox/?show=clinician",
    ],
    "observer": ["capacity/", "capacity/"],
}


def _request(practice, n: int, **fields) -> AccessRequest:
    return AccessRequest.objects.create(
        practice=practice,
        reference=f"HOME{practice.pk:03d}{n:03d}",
        route="online",
        wish="wants_access",
        given_name="Ada",
        family_name=f"Home{n}",
        date_of_birth=datetime.date(1980, 1, 1),
        address="1 High Street",
        postcode="AB1 2CD",
        fingerprint=f"home-{practice.pk}-{n}",
        **fields,
    )


def fill(practice, reviewer_username: str) -> None:
    """One of each piece of work, and two requests on the waiting list (one 40 days old, past the target)."""
    now = timezone.now()
    Dpia.objects.filter(practice=practice).update(review_on=timezone.localdate() - datetime.timedelta(days=1))
    # A DPIA signed off for another approach than the practice's now.
    other = "opt_in" if practice.approach != "opt_in" else "opt_out"
    Assessment.objects.create(
        practice=practice, number=1, approach=other, signed_at=now, signed_on=now.date()
    )
    # Last week's safety sweep, not signed off a week after its week started.
    Sweep.objects.create(
        practice=practice,
        week_starting=week_of(timezone.localdate()) - datetime.timedelta(days=7),
        looks_back_from=timezone.localdate() - datetime.timedelta(days=21),
        birthdays_from=timezone.localdate() - datetime.timedelta(days=14),
    )
    # More than half the registered patients held back.
    ExclusionSnapshot.objects.create(
        practice=practice,
        day=timezone.localdate(),
        registered=10,
        held_back=6,
        by_reason={"enhanced_review": 6},
    )
    RegisterImport.objects.create(
        practice=practice, filename="register.csv", started_by="t", status=ImportStatus.STOPPED
    )
    cohort = Cohort.objects.create(practice=practice, name="Everyone", created_by="t")
    Campaign.objects.create(practice=practice, name="Spring", cohort=cohort, created_by="t", built_at=now)
    MessageTemplate.objects.create(
        practice=practice, channel="sms", name="Short", body="Hello.", updated_by="t"
    )
    patient = Patient.objects.create(
        practice=practice,
        nhs_number="9434765919",
        given_name="Ada",
        family_name="Home",
        date_of_birth=datetime.date(1980, 1, 1),
    )
    today = timezone.localdate()
    for n, (state, due) in enumerate(
        [(QuestionState.NEW, today - datetime.timedelta(days=1)), (QuestionState.CLINICIAN, today)]
    ):
        Question.objects.create(
            practice=practice,
            reference=f"QHOME{practice.pk:03d}{n}",
            route=QuestionRoute.LINK,
            text="Who else can see it?",
            state=state,
            due_on=due,
            patient=patient,
        )
    _request(practice, 1, match_status=MatchStatus.NEEDS_STAFF)
    _request(practice, 2, status=RequestStatus.MATCHED, match_status=MatchStatus.MATCHED, patient=patient)
    old = _request(practice, 3, status=RequestStatus.WAITING, on_list=True, patient=patient)
    _request(practice, 4, status=RequestStatus.WAITING, on_list=True, patient=patient)
    AccessRequest.objects.filter(pk=old.pk).update(received_at=now - datetime.timedelta(days=40, hours=1))
    claimed = _request(practice, 5, status=RequestStatus.IN_REVIEW, patient=patient)
    Review.objects.create(request=claimed, practice=practice, reviewer=reviewer_username, claimed_at=now)
    midday = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    slot = Slot.objects.create(
        practice=practice, host="Dr Home", starts_at=midday, mode="phone", booked=1, created_by="t"
    )
    Booking.objects.create(slot=slot, practice=practice, name="Ada Home", booked_by="patient")
