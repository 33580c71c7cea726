"""Issue 10, finding 1: an administrator of one practice must not be able to take over another practice's staff.

The sequence that worked: add the other practice's administrator by username, reset their two-factor, sign in
with their password alone, enrol a new authenticator, then open that practice's audit trail and a patient.
"""

import base64
import datetime

import pyotp
import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from recordaccess.patients.models import Patient
from recordaccess.practices.models import Membership
from recordaccess.practices.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

# What the attacker knows: the victim's username and password (a shared or leaked password, say).
VICTIM_PASSWORD = factories.TEST_PASSWORD


def _code(device: TOTPDevice) -> str:
    return pyotp.TOTP(base64.b32encode(device.bin_key).decode()).now()


def test_an_administrator_of_one_practice_cannot_take_over_an_administrator_of_another(
    practice, other_practice
):
    attacker = factories.staff(practice, Role.ADMINISTRATOR, "a.attacker")
    victim = factories.staff(other_practice, Role.ADMINISTRATOR, "b.victim")
    patient = Patient.objects.create(
        practice=other_practice,
        nhs_number="9434765919",
        given_name="Zoe",
        family_name="Smith",
        date_of_birth=datetime.date(1980, 2, 1),
    )
    browser = factories.sign_in(Client(), attacker)
    staff_page = reverse("staff:staff", kwargs={"ods": practice.ods_code})

    # 1. Adding the victim's existing username is refused, and says how to invite instead.
    page = browser.post(
        staff_page,
        {
            "username": victim.username,
            "full_name": "Anyone",
            "email": "someone@example.nhs.uk",
            "role": "reviewer",
            "password": "an attacker's long passphrase",
        },
    ).content.decode()
    assert "There is already an account with the username b.victim" in page
    assert "invite" in page
    assert not Membership.objects.filter(user=victim, practice=practice).exists()
    victim.refresh_from_db()
    assert victim.check_password(VICTIM_PASSWORD), "adding must never change an existing account"

    # 2. Their two-factor cannot be reset from the attacker's practice.
    reset = reverse(
        "staff:staff_action",
        kwargs={"ods": practice.ods_code, "user_id": victim.pk, "action": "reset-two-factor"},
    )
    assert "not a member of this practice" in browser.post(reset, follow=True).content.decode()
    assert TOTPDevice.objects.filter(user=victim, confirmed=True).exists()

    # 3. The victim's password alone leads to their own authenticator, never to enrolling a new one.
    thief = Client()
    response = thief.post(
        reverse("staff:sign_in"), {"username": victim.username, "password": VICTIM_PASSWORD}
    )
    assert response["Location"].startswith(reverse("staff:verify"))
    assert thief.get(reverse("staff:enrol"))["Location"].startswith(reverse("staff:verify"))
    assert not TOTPDevice.objects.filter(user=victim, confirmed=False).exists()

    # 4. So the other practice's audit trail and patients stay closed to the thief, and to the attacker.
    audit = reverse("staff:audit", kwargs={"ods": other_practice.ods_code})
    record = reverse("staff:patient", kwargs={"ods": other_practice.ods_code, "patient_id": patient.pk})
    for url in (audit, record):
        assert thief.get(url)["Location"].startswith(reverse("staff:verify"))
        assert browser.get(url).status_code == 404


def test_the_whole_sequence_run_to_its_end_opens_nothing(practice, other_practice):
    """The steps exactly as they once succeeded, carried through whatever each answers; only the end is judged."""
    attacker = factories.staff(practice, Role.ADMINISTRATOR, "a.attacker")
    victim = factories.staff(other_practice, Role.ADMINISTRATOR, "b.victim")
    patient = Patient.objects.create(
        practice=other_practice,
        nhs_number="9434765919",
        given_name="Zoe",
        family_name="Smith",
        date_of_birth=datetime.date(1980, 2, 1),
    )
    browser = factories.sign_in(Client(), attacker)
    browser.post(
        reverse("staff:staff", kwargs={"ods": practice.ods_code}),
        {"username": victim.username, "full_name": "B Victim", "role": "reviewer", "password": ""},
    )
    browser.post(
        reverse(
            "staff:staff_action",
            kwargs={"ods": practice.ods_code, "user_id": victim.pk, "action": "reset-two-factor"},
        )
    )
    thief = Client()
    thief.post(reverse("staff:sign_in"), {"username": victim.username, "password": VICTIM_PASSWORD})
    thief.get(reverse("staff:enrol"))
    fresh = TOTPDevice.objects.filter(user=victim, confirmed=False).first()
    if fresh is not None:
        thief.post(reverse("staff:enrol"), {"token": _code(fresh)})
    audit = thief.get(reverse("staff:audit", kwargs={"ods": other_practice.ods_code}))
    record = thief.get(
        reverse("staff:patient", kwargs={"ods": other_practice.ods_code, "patient_id": patient.pk})
    )
    assert (audit.status_code, record.status_code) == (302, 302), "the thief reached the other practice"
    assert list(TOTPDevice.objects.filter(user=victim).values_list("confirmed", flat=True)) == [True]
