"""Building test data through the same services the application uses."""

import datetime
import itertools

from django_otp.plugins.otp_totp.models import TOTPDevice

from recordaccess.audit.services import Actor
from recordaccess.practices.models import Practice, StaffUser
from recordaccess.practices.services import (
    add_staff_member,
    add_to_practice_by_operator,
    create_practice,
    update_dpia,
)

TEST_PASSWORD = "a long test passphrase 42"
_counter = itertools.count(1)


def practice(
    ods_code: str | None = None, *, name: str = "Test Surgery", approach: str = "opt_out"
) -> Practice:
    """A practice ready to reach its patients: approach agreed, DPIA and go-live date recorded."""
    ods_code = ods_code or f"T{next(_counter):05d}"
    actor = Actor.system("tests")
    made = create_practice(
        actor=actor,
        ods_code=ods_code,
        name=name,
        approach=approach,
        approach_agreed_on=datetime.date(2026, 1, 5),
        go_live_on=datetime.date(2026, 3, 2),
    )
    update_dpia(actor=actor, practice=made, reference="DPIA-TEST-1", completed_on=datetime.date(2026, 1, 6))
    return made


def staff(
    practice: Practice, role: str, username: str | None = None, *, with_device: bool = True
) -> StaffUser:
    username = username or f"{role}{next(_counter)}"
    user = add_staff_member(
        actor=Actor.system("tests"),
        practice=practice,
        username=username,
        role=role,
        password=TEST_PASSWORD,
        email=f"{username}@example.nhs.uk",
    )
    if with_device:
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


def sign_in(client, user: StaffUser):
    """Sign a test client in fully: password and two-factor, as if the user had entered a code."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get(confirmed=True).persistent_id
    session.save()
    return client


def add_membership(user: StaffUser, practice: Practice, role: str) -> StaffUser:
    """An existing account added to another practice as an operator would (administrators invite instead)."""
    add_to_practice_by_operator(actor=Actor.system("tests"), practice=practice, user=user, role=role)
    return user
