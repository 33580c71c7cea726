import datetime

import pytest

from recordaccess.patients.models import Patient

ANSWERS = {
    "choice": {"wish": "wants_access"},
    "who": {"who": "myself"},
    "name": {"given_name": "Siân", "family_name": "O'Brien"},
    "date-of-birth": {"day": "7", "month": "3", "year": "1980"},
    "address": {"address": "1 River Road\nLeeds", "postcode": "ls14ap"},
    "nhs-number": {"nhs_number": "943 476 5919"},
    "contact": {"mobile": "07700 900123", "email": "", "contact_by": "sms"},
    "access": {"access_level": "prospective", "services": ["appointments"]},
    "needs": {"communication_needs": ""},
    "declarations": {"confirmed": ["leaflet", "security", "sharing", "misuse", "wrong"]},
}


@pytest.fixture
def registered(practice):
    return Patient.objects.create(
        practice=practice,
        nhs_number="9434765919",
        given_name="Siân",
        family_name="O'Brien",
        date_of_birth=datetime.date(1980, 3, 7),
        postcode="LS1 4AP",
    )


def answer_all(client, ods="A81001", answers=None, **changes):
    """Walk the request form page by page as a patient would; returns the last response."""
    answers = {**ANSWERS, **(answers or {}), **changes}
    url = f"/p/{ods}/request/choice/"
    response = None
    for _ in range(20):
        step = url.rstrip("/").rsplit("/", 1)[-1]
        if step == "check":
            return client.get(url)
        response = client.post(url, answers.get(step, {}))
        assert response.status_code == 302, (step, response.content.decode()[-3000:])
        url = response["Location"]
    raise AssertionError("the form never reached the check page")
