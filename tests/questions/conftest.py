import datetime

import pytest

from recordaccess.audit.services import Actor
from recordaccess.intake import services as intake
from recordaccess.patients.models import Patient
from recordaccess.questions import inbox
from recordaccess.questions.models import QuestionRoute
from tests.outreach.conftest import _number, campaign, people, templates  # noqa: F401 - fixtures
from tests.outreach.test_replies import sent  # noqa: F401 - a fixture

STAFF = Actor.system("reception-sam")


@pytest.fixture
def patient(practice):
    return Patient.objects.create(
        practice=practice,
        nhs_number=_number(41),
        given_name="Anne",
        family_name="Smith",
        date_of_birth=datetime.date(1970, 5, 1),
        postcode="LS1 4AP",
        address_line_1="1 Road",
        mobile="07700900141",
        email="anne@example.com",
    )


def details(patient=None, **changes) -> intake.RequestDetails:
    base = {
        "wish": "has_questions",
        "given_name": "Anne",
        "family_name": "Smith",
        "date_of_birth": datetime.date(1970, 5, 1),
        "address": "1 Road\nLeeds",
        "postcode": "LS1 4AP",
        "nhs_number": patient.nhs_number if patient else "",
        "mobile": "07700900141",
        "contact_by": "sms",
        "question": "Will my carer see my record?",
    }
    return intake.RequestDetails(**{**base, **changes})


def submit(practice, patient=None, **changes):
    return intake.submit(practice=practice, details=details(patient, **changes), route="online", actor=STAFF)


def ask(practice, patient=None, text="Can I see my test results?", **fields):
    """A question keyed in from a call, with a mobile to answer by text."""
    base = {
        "name": "Anne Smith",
        "contact_by": "sms",
        "mobile": "07700900141",
        "address": "1 Road\nLeeds",
        "postcode": "LS1 4AP",
        "patient": patient,
    }
    return inbox.receive(
        actor=STAFF,
        practice=practice,
        route=QuestionRoute.CALL,
        text=text,
        by=STAFF.name,
        **{**base, **fields},
    )
