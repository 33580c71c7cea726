"""The practice a benchmark works on, made ready to send as a real one must be (approach agreed, live, DPIA
recorded). Only the benchmark commands use it: serving a request never imports it."""

import datetime

from recordaccess.audit.services import Actor
from recordaccess.practices.readiness import missing_before_patients
from recordaccess.practices.selectors import practice_by_ods
from recordaccess.practices.services import create_practice, update_dpia, update_practice


def ready_practice(ods_code: str, name: str, *, command: str, dpia_reference: str, **details):
    """The practice with this ODS code, made if missing, and made ready to send if it is not."""
    actor = Actor.system(f"command:{command}")
    practice = practice_by_ods(ods_code) or create_practice(
        actor=actor, ods_code=ods_code, name=name, approach="opt_out", **details
    )
    if missing_before_patients(practice) or practice.go_live_on is None:
        update_practice(
            actor=actor,
            practice=practice,
            approach_agreed_on=datetime.date(2026, 1, 5),
            go_live_on=datetime.date(2026, 3, 2),
        )
        update_dpia(
            actor=actor, practice=practice, reference=dpia_reference, completed_on=datetime.date(2026, 1, 6)
        )
    return practice


def reception_member(practice, username: str):
    """The benchmark's member of reception at the practice, made if missing."""
    from recordaccess.practices.models import Membership, StaffUser
    from recordaccess.practices.roles import Role

    user, _ = StaffUser.objects.get_or_create(username=username, defaults={"full_name": "Benchmark"})
    Membership.objects.get_or_create(user=user, practice=practice, defaults={"role": Role.RECEPTION})
    return user


def signed_in_client(user):
    """A test client signed in as the user with password and two-factor, as far as the session knows."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
