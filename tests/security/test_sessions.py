"""Session fixation and signing out, through the real sign-in pages with CSRF checked as a browser's would be.

A session key that someone else knows before a step of signing in (planted by a link, read off a shared computer
between the password and the code) must be worthless after it: the key changes when the password is accepted
and again when the second factor is (H118). Signing out ends the session on the server, so a copy of the old
cookie opens nothing; and only a POST from the service's own page signs out, so a link or an image elsewhere
cannot sign a clinician out in the middle of a review."""

import base64

import pyotp
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    return pyotp.TOTP(base64.b32encode(device.bin_key).decode()).now()


def _csrf(client: Client, path: str) -> str:
    client.get(path)
    return client.cookies["csrftoken"].value


def _session_key(client: Client) -> str:
    return client.cookies["sessionid"].value


def _planted(client: Client) -> str:
    """A session someone made and gave the client's browser before it signed in."""
    store = SessionStore()
    store["planted"] = True
    store.create()
    client.cookies["sessionid"] = store.session_key
    return store.session_key


def _as_the_planter(key: str, path: str) -> int:
    """What someone holding the key gets at `path`."""
    other = Client()
    other.cookies["sessionid"] = key
    return other.get(path).status_code


def test_the_session_key_changes_at_the_password_and_again_at_the_security_code(practice):
    user = factories.staff(practice, "reviewer")
    device = user.totpdevice_set.get()
    client = Client(enforce_csrf_checks=True)
    planted = _planted(client)
    token = _csrf(client, reverse("staff:sign_in"))
    password = client.post(
        reverse("staff:sign_in"),
        {"username": user.username, "password": factories.TEST_PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert password["Location"].startswith(reverse("staff:verify"))
    after_password = _session_key(client)
    assert after_password != planted
    assert not Session.objects.filter(session_key=planted).exists()

    token = _csrf(client, reverse("staff:verify"))
    code = client.post(reverse("staff:verify"), {"token": _code(device), "csrfmiddlewaretoken": token})
    assert code.status_code == 302
    signed_in = _session_key(client)
    assert signed_in not in {planted, after_password}
    assert not Session.objects.filter(session_key=after_password).exists()
    dashboard = reverse("staff:dashboard", kwargs={"ods": practice.ods_code})
    assert client.get(dashboard).status_code == 200
    # Whoever held either earlier key holds nothing.
    for key in (planted, after_password):
        assert _as_the_planter(key, dashboard) == 302


def test_the_session_key_changes_when_a_first_authenticator_app_is_set_up(practice):
    user = factories.staff(practice, "reception", with_device=False)
    client = Client(enforce_csrf_checks=True)
    token = _csrf(client, reverse("staff:sign_in"))
    client.post(
        reverse("staff:sign_in"),
        {"username": user.username, "password": factories.TEST_PASSWORD, "csrfmiddlewaretoken": token},
    )
    token = _csrf(client, reverse("staff:enrol"))
    after_password = _session_key(client)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert (
        client.post(
            reverse("staff:enrol"), {"token": _code(device), "csrfmiddlewaretoken": token}
        ).status_code
        == 302
    )
    assert _session_key(client) != after_password
    assert not Session.objects.filter(session_key=after_password).exists()


def test_signing_out_ends_the_session_on_the_server_so_the_old_cookie_opens_nothing(practice):
    user = factories.staff(practice, "administrator")
    client = Client(enforce_csrf_checks=True)
    token = _csrf(client, reverse("staff:sign_in"))
    factories.sign_in(client, user)
    key = _session_key(client)
    dashboard = reverse("staff:dashboard", kwargs={"ods": practice.ods_code})
    assert client.get(dashboard).status_code == 200
    out = client.post(reverse("staff:sign_out"), {"csrfmiddlewaretoken": token})
    assert out.status_code == 302 and out["Location"] == reverse("staff:sign_in")
    assert not Session.objects.filter(session_key=key).exists()
    copied = Client()
    copied.cookies["sessionid"] = key
    again = copied.get(dashboard)
    assert again.status_code == 302 and again["Location"].startswith(reverse("staff:sign_in"))


def test_only_a_post_from_the_services_own_page_signs_out(practice):
    user = factories.staff(practice, "reviewer")
    client = Client(enforce_csrf_checks=True)
    token = _csrf(client, reverse("staff:sign_in"))
    factories.sign_in(client, user)
    dashboard = reverse("staff:dashboard", kwargs={"ods": practice.ods_code})
    # A link or an image elsewhere: a GET is refused and changes nothing.
    assert client.get(reverse("staff:sign_out")).status_code == 405
    # A form on another site: no CSRF token, refused.
    assert client.post(reverse("staff:sign_out")).status_code == 403
    assert client.get(dashboard).status_code == 200
    # The header's own sign-out form carries the token.
    page = client.get(dashboard).content.decode()
    assert f'action="{reverse("staff:sign_out")}" method="post"' in page
    assert client.post(reverse("staff:sign_out"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert client.get(dashboard).status_code == 302


def test_the_session_and_csrf_cookies_are_out_of_scripts_reach_and_not_sent_from_other_sites(practice):
    user = factories.staff(practice, "reviewer")
    client = Client()
    page = client.get(reverse("staff:sign_in"))
    signed = client.post(
        reverse("staff:sign_in"), {"username": user.username, "password": factories.TEST_PASSWORD}
    )
    for response, name in ((page, "csrftoken"), (signed, "sessionid")):
        cookie = response.cookies[name]
        assert cookie["httponly"] is True and cookie["samesite"] == "Lax", name
    # Ends with the browser, and after 30 idle minutes at most (tests/practices/test_sessions.py moves it on).
    assert signed.cookies["sessionid"]["expires"] == "" and signed.cookies["sessionid"]["max-age"] == ""
