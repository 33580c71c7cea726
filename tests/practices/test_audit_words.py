"""The audit trail in plain words: every action the code records has words, and entries name what they are about."""

import ast
import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse

from recordaccess.audit.services import Actor, record
from recordaccess.intake import services as intake
from recordaccess.patients.models import Patient
from recordaccess.practices.audit_words import ACTION_WORDS
from recordaccess.practices.roles import Role
from tests import factories

CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")
SOURCE = Path(__file__).resolve().parents[2] / "recordaccess"


def recorded_actions() -> dict[str, str]:
    """Every action code written in a call that records to the trail: a call named for recording or auditing
    (record, record_request, audit_request, _record_for_account...), or any call given `action=`."""
    found = {}
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            given = [k.value for k in node.keywords if k.arg == "action"]
            if "record" in name or "audit" in name:
                given += node.args
            for argument in given:
                for part in ast.walk(argument):
                    if (
                        isinstance(part, ast.Constant)
                        and isinstance(part.value, str)
                        and CODE.match(part.value)
                    ):
                        found.setdefault(part.value, f"{path.relative_to(SOURCE)}:{node.lineno}")
    return found


def test_every_action_the_code_records_has_plain_words():
    actions = recorded_actions()
    assert len(actions) > 50  # the scan finds the trail's writers
    missing = {code: where for code, where in actions.items() if code not in ACTION_WORDS}
    assert not missing, f"Give these actions words in practices/audit_words.py: {missing}"


@pytest.mark.django_db
def test_the_trail_shows_words_and_names_the_patient_the_request_and_the_staff_member(
    client, practice, other_practice
):
    admin = factories.staff(practice, Role.ADMINISTRATOR, "im.admin")
    reviewer = factories.staff(practice, Role.REVIEWER, "dr.rao")
    patient = Patient.objects.create(
        practice=practice, nhs_number="9434765919", given_name="Anne", family_name="Smith",
        date_of_birth=datetime.date(1970, 5, 1),
    )  # fmt: skip
    theirs = Patient.objects.create(
        practice=other_practice, nhs_number="4010232137", given_name="Other", family_name="Person",
        date_of_birth=datetime.date(1970, 5, 1),
    )  # fmt: skip
    saved, _ = intake.submit(
        practice=practice,
        details=intake.RequestDetails(
            wish="wants_access", given_name="Anne", family_name="Smith", date_of_birth=datetime.date(1970, 5, 1),
            address="2 High St", postcode="LS1 4AP", access_level="prospective", declarations=True,
        ),
        route="online",
        actor=Actor.system("t"),
    )  # fmt: skip
    actor = Actor(reviewer.pk, "dr.rao")
    record(actor=actor, action="review.view", practice_ods="A81001", object_type="access_request",
           object_id=saved.pk, patient_id=patient.pk)  # fmt: skip
    record(actor=actor, action="patient.view", practice_ods="A81001", patient_id=theirs.pk)
    factories.sign_in(client, admin)
    page = client.get(reverse("staff:audit", kwargs={"ods": "A81001"})).content.decode()
    rows = page.split('id="audit-entries"', 1)[-1]
    assert "Viewed a request to review" in rows and ">review.view<" not in rows
    assert "SMITH, Anne (943 476 5919)" in rows and f"Request: {saved.reference_display}" in rows
    assert f"patient {patient.pk})" not in rows
    assert "Other" not in rows and "401 023 2137" not in rows  # another practice's patient stays a number
    assert "dr.rao" in rows
