import pyotp
import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from recordaccess.audit.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    import base64

    return pyotp.TOTP(base64.b32encode(device.bin_key).decode()).now()


def test_staff_pages_redirect_anonymous_visitors_to_sign_in(client):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:sign_in"))


def test_first_sign_in_enrols_an_authenticator_then_signs_in(client, practice):
    user = factories.staff(practice, "reception", with_device=False)
    response = client.post(
        reverse("staff:sign_in"), {"username": user.username, "password": factories.TEST_PASSWORD}
    )
    assert response["Location"].startswith(reverse("staff:enrol"))
    page = client.get(response["Location"])
    assert b"<svg" in page.content and b"totp-secret" in page.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("staff:enrol"), {"token": _code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("staff:dashboard", kwargs={"ods": practice.ods_code})).status_code == 200
    assert AuditEntry.objects.filter(action="auth.two_factor_enrolled", actor_id=user.pk).exists()


def test_password_alone_does_not_open_staff_pages(client, practice):
    user = factories.staff(practice, "administrator")
    client.post(reverse("staff:sign_in"), {"username": user.username, "password": factories.TEST_PASSWORD})
    response = client.get(reverse("staff:dashboard", kwargs={"ods": practice.ods_code}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:verify"))


def test_wrong_security_code_is_refused_and_audited(client, practice):
    user = factories.staff(practice, "administrator")
    client.post(reverse("staff:sign_in"), {"username": user.username, "password": factories.TEST_PASSWORD})
    response = client.post(reverse("staff:verify"), {"token": "000000"})
    assert response.status_code == 200
    assert "That code did not match" in response.content.decode()
    assert AuditEntry.objects.filter(action="auth.two_factor_failed", actor_id=user.pk).exists()


def test_security_code_must_be_six_digits(client, practice):
    user = factories.staff(practice, "administrator")
    client.post(reverse("staff:sign_in"), {"username": user.username, "password": factories.TEST_PASSWORD})
    response = client.post(reverse("staff:verify"), {"token": "12ab"})
    assert "Enter the security code as 6 digits" in response.content.decode()


def test_wrong_password_gives_one_message_and_is_audited(client, practice):
    user = factories.staff(practice, "administrator")
    response = client.post(reverse("staff:sign_in"), {"username": user.username, "password": "wrong"})
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    assert AuditEntry.objects.filter(action="auth.password_failed").count() == 1


def test_account_locks_after_five_failed_passwords(client, practice):
    user = factories.staff(practice, "administrator")
    for _ in range(5):
        client.post(reverse("staff:sign_in"), {"username": user.username, "password": "wrong"})
    response = client.post(
        reverse("staff:sign_in"), {"username": user.username, "password": factories.TEST_PASSWORD}
    )
    assert response.status_code == 403
    assert "Your account is locked" in response.content.decode()


def test_an_idle_session_ends_after_thirty_minutes_and_use_moves_the_end_on(client, practice):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    factories.sign_in(client, factories.staff(practice, "reviewer"))
    dashboard = reverse("staff:dashboard", kwargs={"ods": practice.ods_code})
    assert client.get(dashboard).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    assert abs(session.expire_date - (timezone.now() + timedelta(minutes=30))) < timedelta(seconds=30)

    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(dashboard)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:sign_in"))


def test_passwords_are_hashed_with_argon2(practice):
    user = factories.staff(practice, "reviewer")
    assert user.password.startswith("argon2")


def test_sign_out_ends_the_session(client, practice):
    user = factories.staff(practice, "reviewer")
    factories.sign_in(client, user)
    client.post(reverse("staff:sign_out"))
    response = client.get(reverse("staff:dashboard", kwargs={"ods": practice.ods_code}))
    assert response.status_code == 302


def test_next_parameter_cannot_send_staff_off_site(client, practice):
    user = factories.staff(practice, "reviewer")
    client.post(reverse("staff:sign_in"), {"username": user.username, "password": factories.TEST_PASSWORD})
    device = user.totpdevice_set.get()
    response = client.post(reverse("staff:verify") + "?next=https://evil.example/", {"token": _code(device)})
    assert response["Location"] == reverse("staff:home")


def test_a_next_that_is_not_a_path_on_this_site_goes_home(client, practice):
    """Not a crash: Django would take "dashboard" for the name of a view, and find none."""
    user = factories.staff(practice, "reviewer")
    client.post(reverse("staff:sign_in"), {"username": user.username, "password": factories.TEST_PASSWORD})
    device = user.totpdevice_set.get()
    response = client.post(reverse("staff:verify") + "?next=dashboard", {"token": _code(device)})
    assert response["Location"] == reverse("staff:home")
