"""Uploading a register from the staff page: the import runs in the worker, the page follows it."""

import os
import stat

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from recordaccess.audit.models import AuditEntry
from recordaccess.patients.models import Patient, RegisterImport
from recordaccess.practices.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

EXPORT = (
    "\ufeffNHS Number,Forename,Surname,Date of Birth,Mobile Telephone\r\n"
    "9434765919,Zoë,Smith,01/02/1980,07700 900123\r\n"
    "9434765918,Bad,Number,01/02/1980,\r\n"
    "4010232137,Siobhán,O'Neill,30/06/1975,0113 496 0000\r\n"
).encode()


@pytest.fixture
def admin(client, practice, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.TASKS_BACKEND = "db"
    return factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR, "pm.jones"))


def upload(client, practice, content=EXPORT, **extra):
    return client.post(
        reverse("staff:register", kwargs={"ods": practice.ods_code}),
        {"file": SimpleUploadedFile("register.csv", content, content_type="text/csv"), **extra},
    )


def test_an_uploaded_register_is_imported_by_the_worker_and_the_page_shows_the_result(admin, practice):
    response = upload(admin, practice)
    run = RegisterImport.objects.get()
    assert response["Location"] == reverse(
        "staff:register_import", kwargs={"ods": "A81001", "import_id": run.pk}
    )
    running = admin.get(response["Location"]).content.decode()
    assert "<progress" in running and run.status == "running"
    assert (
        admin.get(
            reverse("staff:register_import_status", kwargs={"ods": "A81001", "import_id": run.pk})
        ).json()["status"]
        == "running"
    )

    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay")

    run.refresh_from_db()
    assert (run.status, run.created, run.rejected, run.warnings) == ("completed", 2, 1, 1)
    assert Patient.objects.filter(practice=practice).count() == 2
    page = admin.get(
        reverse("staff:register_import", kwargs={"ods": "A81001", "import_id": run.pk})
    ).content.decode()
    assert "NHS number is not valid" in page and "Not a UK mobile number" in page
    report = admin.get(reverse("staff:register_import_report", kwargs={"ods": "A81001", "import_id": run.pk}))
    assert b"".join(report.streaming_content).startswith(b'"row","column","value","problem","severity"\r\n')
    detail = AuditEntry.objects.get(action="register.import").detail
    assert '"created":2' in detail


def test_an_unusable_upload_says_why_on_the_page(admin, practice):
    upload(admin, practice, content=b"Forename,Surname\r\nZoe,Smith\r\n")
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay")
    run = RegisterImport.objects.get()
    assert run.status == "unusable"
    page = admin.get(
        reverse("staff:register_import", kwargs={"ods": "A81001", "import_id": run.pk})
    ).content.decode()
    assert "No NHS number column" in page


def test_choosing_no_file_gets_a_specific_error(admin, practice):
    page = admin.post(reverse("staff:register", kwargs={"ods": practice.ods_code}), {}).content.decode()
    assert "Choose the CSV file to import" in page and "There is a problem" in page
    assert not RegisterImport.objects.exists()


def test_a_second_import_cannot_start_while_one_is_running(admin, practice):
    upload(admin, practice)
    page = upload(admin, practice).content.decode()
    assert "still running" in page
    assert RegisterImport.objects.count() == 1


def test_an_uploaded_file_of_garbage_is_refused_by_the_worker_and_nothing_is_imported(admin, practice):
    garbage = "".join(f"row {n} of nothing,at all,{n}x,more,junk\r\n" for n in range(5_000))
    upload(admin, practice, content=("NHS Number,Surname,Date of Birth\r\n" + garbage).encode())
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay")
    run = RegisterImport.objects.get()
    assert run.status == "unusable" and not Patient.objects.exists()
    page = admin.get(
        reverse("staff:register_import", kwargs={"ods": "A81001", "import_id": run.pk})
    ).content.decode()
    assert "not a register export" in page


def test_the_uploaded_copy_waiting_for_the_worker_is_readable_only_by_the_service(admin, practice):
    previous = os.umask(0)
    try:
        upload(admin, practice)
    finally:
        os.umask(previous)
    [copy] = (settings.VAR_DIR / "imports").glob("upload-*.csv")
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700
