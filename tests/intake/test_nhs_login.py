"""NHS login at P9, end to end against a local OpenID provider: Authlib's code flow with private_key_jwt,
the ID token's signature, issuer, audience and nonce checked, and only P9 accepted."""

import datetime
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from recordaccess.audit.models import AuditEntry
from recordaccess.intake import nhslogin
from recordaccess.intake.models import AccessRequest
from recordaccess.patients.models import Patient
from tests.intake.conftest import answer_all
from tests.oidc_provider import LocalNhsLogin, new_key, pem

pytestmark = pytest.mark.django_db
CLIENT_ID = "recordaccess-tests"


@pytest.fixture
def provider(settings, tmp_path):
    ours = new_key()
    key_file = tmp_path / "nhs-login-key.pem"
    key_file.write_text(pem(ours))
    with LocalNhsLogin(CLIENT_ID, ours.public_key()) as op:
        settings.NHS_LOGIN_ISSUER, settings.NHS_LOGIN_CLIENT_ID = op.issuer, CLIENT_ID
        settings.NHS_LOGIN_PRIVATE_KEY_FILE = str(key_file)
        nhslogin._metadata.cache_clear()
        yield op
    nhslogin._metadata.cache_clear()


def sign_in_with_nhs_login(client, *, tamper_state=False):
    client.post(reverse("intake:request_check", kwargs={"ods": "A81001"}))
    done = client.get(reverse("intake:request_done", kwargs={"ods": "A81001"})).content.decode()
    assert "Continue to NHS login" in done
    to_provider = client.get(reverse("intake:nhs_login_start", kwargs={"ods": "A81001"}))["Location"]
    back = requests.get(to_provider, allow_redirects=False, timeout=10).headers["Location"]
    url = urlparse(back)
    query = parse_qs(url.query)
    if tamper_state:
        query["state"] = ["not-the-state-we-sent"]
    return client.get(url.path, {k: v[0] for k, v in query.items()}).content.decode()


def test_a_p9_sign_in_matches_and_verifies_the_request(client, practice, registered, provider):
    answer_all(
        client, **{"nhs-number": {"nhs_number": ""}}, name={"given_name": "S", "family_name": "Obrien"}
    )
    page = sign_in_with_nhs_login(client)
    assert "Thank you: you have confirmed who you are" in page
    assert AuditEntry.objects.get(action="request.match").actor == "NHS login"  # not matched before
    saved = AccessRequest.objects.get()
    assert (saved.patient, saved.status) == (registered, "identity_verified")
    check = saved.identity_checks.get()
    assert (check.method, check.remote, check.verified_by) == ("nhs_login_p9", True, "NHS login")
    authorise = provider.authorise_requests[0]
    assert authorise["vtr"] == nhslogin.VTR and authorise["scope"] == "openid profile" and authorise["nonce"]
    assert provider.token_requests[0]["client_assertion_type"].endswith("jwt-bearer")


def test_less_than_p9_sends_the_patient_to_the_desk(client, practice, registered, provider):
    provider.person["vot"] = "P5.Cp.Cd"
    answer_all(client)
    assert "Please confirm who you are at the practice" in sign_in_with_nhs_login(client)
    assert not AccessRequest.objects.get().identity_checks.exists()


def test_someone_elses_nhs_login_changes_nothing(client, practice, registered, provider):
    provider.person["birthdate"] = "1990-01-01"
    answer_all(client)
    assert "We could not link your NHS login to this request" in sign_in_with_nhs_login(client)
    assert not AccessRequest.objects.get().identity_checks.exists()


def test_a_forged_return_is_refused(client, practice, registered, provider):
    answer_all(client)
    assert "NHS login did not finish" in sign_in_with_nhs_login(client, tamper_state=True)
    assert not AccessRequest.objects.get().identity_checks.exists()


def test_without_configuration_nhs_login_is_not_offered(client, practice, settings):
    settings.NHS_LOGIN_ISSUER = ""
    answer_all(client)
    client.post(reverse("intake:request_check", kwargs={"ods": "A81001"}))
    done = client.get(reverse("intake:request_done", kwargs={"ods": "A81001"})).content.decode()
    assert "Continue to NHS login" not in done


def test_a_child_under_13_is_verified_at_the_desk_not_by_nhs_login(client, practice, registered, provider):
    young = (timezone.localdate() - datetime.timedelta(days=12 * 366)).isoformat()
    Patient.objects.filter(pk=registered.pk).update(date_of_birth=young)
    provider.person["birthdate"] = young
    year, month, day = young.split("-")
    answer_all(client, **{"date-of-birth": {"day": day, "month": month, "year": year}})
    assert "Please confirm who you are at the practice" in sign_in_with_nhs_login(client)
    assert not AccessRequest.objects.get().identity_checks.exists()
