"""The waiting list's order and its explanations: need, flags, the kind of access, and days waited."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from recordaccess.audit.services import Actor
from recordaccess.intake import priority
from recordaccess.intake import services as intake
from recordaccess.intake.models import AccessRequest
from recordaccess.intake.waiting_list import save_policy
from recordaccess.patients.models import Flag, FlagKind, Patient
from recordaccess.practices.roles import Role
from recordaccess.review.decisions import claim
from recordaccess.review.services import mark_need, waiting_list
from tests import factories
from tests.outreach.conftest import _number

pytestmark = pytest.mark.django_db
NOW = timezone.now()
W = priority.Weights(need=30, risk_flag=10, prospective=5, per_day=1, target_days=28)


def test_the_score_is_the_reasons_added_up_and_the_key_orders_as_the_score_does():
    received = [NOW - datetime.timedelta(days=d) for d in (3, 40, 10)]
    bases = [30.0, 0.0, 15.0]
    scores = [b + (NOW - r).days for b, r in zip(bases, received, strict=True)]
    keys = [
        priority.key(base_points=b, received_at=r, weights=W) for b, r in zip(bases, received, strict=True)
    ]
    assert sorted(range(3), key=lambda i: -scores[i]) == sorted(range(3), key=lambda i: -keys[i])
    reasons = priority.reasons(
        need="carer", risk_flag=True, access_level="prospective", received_at=received[0], now=NOW, weights=W
    )
    assert reasons == [
        ("Clinical need: A carer, or cared for", 30),
        ("Flag demands enhanced review", 10),
        ("Asked only for new entries", 5),
        ("Waiting 3 days", 3),
    ]
    assert priority.past_target(received[1], NOW, W) and not priority.past_target(received[0], NOW, W)


def make(practice, name, *, days_ago, level="historic", flagged=False):
    patient = Patient.objects.create(
        practice=practice,
        nhs_number=factories_number(name),
        given_name=name,
        family_name="Test",
        date_of_birth=datetime.date(1970, 1, 1),
        postcode="LS1 4AP",
    )
    if flagged:
        Flag.objects.create(
            patient=patient, kind=FlagKind.SAFEGUARDING_ADULT, code="417430008", term="Vulnerable"
        )
    details = intake.RequestDetails(
        wish="wants_access",
        given_name=name,
        family_name="Test",
        date_of_birth=patient.date_of_birth,
        address="1 Road",
        postcode="LS1 4AP",
        nhs_number=patient.nhs_number,
        access_level=level,
        declarations=True,
    )
    request, _ = intake.submit(practice=practice, details=details, route="online", actor=Actor.system("t"))
    AccessRequest.objects.filter(pk=request.pk).update(
        received_at=NOW - datetime.timedelta(days=days_ago), status="waiting", on_list=True
    )
    request.refresh_from_db()
    from recordaccess.intake.waiting_list import refresh

    return refresh(request)


SERIAL = iter(range(1, 1000))


def factories_number(name: str) -> str:
    return _number(next(SERIAL))


def test_the_list_puts_need_flags_and_long_waits_first_and_explains_each_place(client, practice):
    old = make(practice, "Old", days_ago=60)
    flagged = make(practice, "Flagged", days_ago=5, flagged=True)
    make(practice, "Quick", days_ago=5, level="prospective")
    plain = make(practice, "Plain", days_ago=5)
    needy = make(practice, "Needy", days_ago=1)
    mark_need(actor=Actor.system("t"), request=needy, need="carer", note="cares for her husband")
    ordered, _ = waiting_list(practice)
    assert [r.given_name for r in ordered] == ["Old", "Needy", "Flagged", "Quick", "Plain"]
    assert flagged.risk_flag and not plain.risk_flag

    factories.sign_in(client, factories.staff(practice, Role.RECEPTION))
    page = client.get(reverse("staff:waiting_list", kwargs={"ods": "A81001"})).content.decode()
    assert "Clinical need: A carer, or cared for (+30" in page and "Past target" in page
    assert page.index("Old Test") < page.index("Needy Test") < page.index("Flagged Test")
    past = client.get(
        reverse("staff:waiting_list", kwargs={"ods": "A81001"}), {"show": "past_target"}
    ).content.decode()
    assert "Old Test" in past and "Plain Test" not in past

    save_policy(actor=Actor.system("t"), practice=practice, points_per_day=0.1)  # waiting counts for less
    ordered, _ = waiting_list(practice)
    assert [r.given_name for r in ordered][:2] == ["Needy", "Flagged"]
    assert old.pk in [r.pk for r in ordered]


def test_a_request_joins_the_list_when_verified_and_leaves_it_for_review(practice):
    request = make(practice, "Mover", days_ago=1)
    AccessRequest.objects.filter(pk=request.pk).update(status="matched", on_list=False)
    request.refresh_from_db()
    intake.verify_identity(
        actor=Actor.system("t"),
        request=request,
        method="documents",
        remote=False,
        evidence="Passport and a bill",
    )
    assert [r.pk for r in waiting_list(practice)[0]] == [request.pk]
    intake.move(actor=Actor.system("t"), request=request, status="waiting")
    claim(actor=Actor.system("t"), request=request)
    assert list(waiting_list(practice)[0]) == []
