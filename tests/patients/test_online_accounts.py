"""The online-accounts import's staff page: administrators only, each bad row explained, the import audited,
another practice's import not found."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from recordaccess.audit.models import AuditEntry
from recordaccess.patients.models import OnlineAccountImport, Patient
from recordaccess.practices.roles import Role
from tests import factories
from tests.assurance.sweep_fixtures import make

pytestmark = pytest.mark.django_db


def upload(client, practice, text: bytes, name="accounts.csv"):
    return client.post(
        f"/staff/p/{practice.ods_code}/online-accounts/", {"file": SimpleUploadedFile(name, text)}
    )


def test_an_administrator_uploads_the_export_and_sees_its_figures_and_problems(practice, staff_client):
    patient = make(practice, "Smith")
    client = staff_client(Role.ADMINISTRATOR)
    assert client.get(f"/staff/p/{practice.ods_code}/online-accounts/").status_code == 200
    text = (
        "NHS Number\tDate registered for online services\tProxy access\tProxy details\r\n"
        f"{patient.nhs_number}\t03/03/2026\tYes\tFather: Tom Smith\r\n"
        "1234567890\t03/03/2026\tNo\t\r\n"
    ).encode("utf-16")
    done = upload(client, practice, text)
    run = OnlineAccountImport.objects.get(practice=practice)
    assert done.status_code == 302 and done["Location"].endswith(f"/online-accounts/{run.pk}/")
    page = client.get(done["Location"]).text
    assert "NHS number is not valid (wrong length or check digit)" in page
    patient.refresh_from_db()
    assert (patient.online_account_since.isoformat(), patient.proxy_access) == ("2026-03-03", True)
    assert AuditEntry.objects.filter(action="online_accounts.import", object_id=str(run.pk)).exists()
    assert AuditEntry.objects.filter(action="online_accounts.problems_viewed").exists()


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (b"", "The chosen file is empty"),
        (b"NHS Number,Surname\n9434765919,Smith\n", "Missing required columns: Date registered for online"),
        (b"\x00\x01binary", "This is not a CSV file"),
    ],
)
def test_an_unusable_file_is_refused_with_a_clear_error(practice, staff_client, text, error):
    response = upload(staff_client(Role.ADMINISTRATOR), practice, text)
    assert response.status_code == 400 and error in response.text


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.RECEPTION, Role.OBSERVER])
def test_only_administrators_import_online_accounts(practice, role):
    client = factories.sign_in(Client(), factories.staff(practice, role))
    assert client.get(f"/staff/p/{practice.ods_code}/online-accounts/").status_code == 403
    assert upload(client, practice, b"NHS Number,Date\n").status_code == 403


def test_another_practices_import_is_not_found(practice, other_practice):
    run = OnlineAccountImport.objects.create(practice=practice, filename="a.csv", started_by="t")
    client = factories.sign_in(Client(), factories.staff(other_practice, Role.ADMINISTRATOR))
    assert client.get(f"/staff/p/{other_practice.ods_code}/online-accounts/{run.pk}/").status_code == 404
    assert Patient.objects.count() == 0
