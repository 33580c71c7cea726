"""Every upload page refuses a file over its limit with words that say the limit, never a server error; a body
larger than its page takes is refused by its declared length before a byte of it is read (core/uploads.py); and
every other address takes no large multipart body at all (H120)."""

import functools
import inspect

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from recordaccess.patients.models import OnlineAccountImport, RegisterImport
from tests import factories
from tests.review.conftest import waiting_request

pytestmark = pytest.mark.django_db
LIMITS = ["REGISTER_UPLOAD_MAX_BYTES", "ONLINE_ACCOUNTS_UPLOAD_MAX_BYTES", "IDENTITY_DOCUMENT_MAX_BYTES"]
# What the body's declared length says: far more than any page takes, and never actually sent.
CLAIMED = str(600 * 1024 * 1024)


def every_view():
    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                yield pattern.name, pattern.callback

    return list(walk(get_resolver().url_patterns))


def _source(view) -> str:
    view = inspect.unwrap(view)
    while isinstance(view, functools.partial):
        view = view.func
    try:
        return inspect.getsource(view)
    except TypeError:
        return ""


def test_every_view_that_reads_files_declares_its_limit():
    readers = {
        name: getattr(view, "upload_limit_setting", None)
        for name, view in every_view()
        if "request.FILES" in _source(view)
    }
    assert readers == {
        "register": "REGISTER_UPLOAD_MAX_BYTES",
        "online_accounts": "ONLINE_ACCOUNTS_UPLOAD_MAX_BYTES",
        "request_identity": "IDENTITY_DOCUMENT_MAX_BYTES",
    }


def test_the_limits_are_chosen(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 2 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 1000 and settings.DATA_UPLOAD_MAX_NUMBER_FILES == 5
    assert [getattr(settings, name) // (1024 * 1024) for name in LIMITS] == [500, 20, 5]


@pytest.fixture
def pages(practice, settings):
    """The three upload pages, with limits of a few kilobytes so a file just over one is small."""
    for name in LIMITS:
        setattr(settings, name, 10 * 1024)
    client = factories.sign_in(Client(), factories.staff(practice, "administrator"))
    item = waiting_request(practice)
    ods = practice.ods_code
    return client, {
        "register": (reverse("staff:register", kwargs={"ods": ods}), "file", {}),
        "online_accounts": (reverse("staff:online_accounts", kwargs={"ods": ods}), "file", {}),
        "request_identity": (
            reverse("staff:request_identity", kwargs={"ods": ods, "request_id": item.pk}),
            "document",
            {"method": "documents", "evidence": "Passport and a council tax bill"},
        ),
    }


def test_a_file_just_over_its_pages_limit_is_refused_beside_the_field_in_words(pages):
    client, upload_pages = pages
    for name, (path, field, fields) in upload_pages.items():
        body = b"%PDF-" + b"x" * 10_240 if field == "document" else b"nhs_number\n" + b"9" * 10_240
        response = client.post(path, {**fields, field: SimpleUploadedFile("big.csv", body)})
        assert response.status_code in {200, 400}, name
        page = response.content.decode()
        words = ("The copy" if field == "document" else "The file") + " must be 10 KB or smaller"
        assert words in page, (name, page[:300])
    assert not RegisterImport.objects.exists() and not OnlineAccountImport.objects.exists()


def test_a_body_larger_than_its_page_takes_is_refused_unread_with_the_limit_in_words(pages):
    client, upload_pages = pages
    for name, (path, field, fields) in upload_pages.items():
        upload = SimpleUploadedFile("register.csv", b"nhs_number\n")
        response = client.post(path, {**fields, field: upload}, CONTENT_LENGTH=CLAIMED)
        assert response.status_code == 413, name
        assert response.content.decode().startswith(
            "The file is too large: this page takes a file of 10 KB or smaller. Nothing was read or saved."
        ), name
        assert "no-store" in response["Cache-Control"]
    assert not RegisterImport.objects.exists() and not OnlineAccountImport.objects.exists()


def test_any_other_address_takes_no_large_multipart_body(client, practice):
    upload = {"file": SimpleUploadedFile("big.bin", b"x")}
    staff = factories.sign_in(Client(), factories.staff(practice, "administrator"))
    page = staff.post(
        reverse("staff:practice_edit", kwargs={"ods": practice.ods_code}), upload, CONTENT_LENGTH=CLAIMED
    )
    assert page.status_code == 413
    assert page.content.decode().startswith(
        "The request is too large: a body may be at most 2,097,152 bytes."
    )
    public = client.post(f"/p/{practice.ods_code}/request/name/", upload, CONTENT_LENGTH=CLAIMED)
    assert public.status_code == 413
    # Answered before the middleware that adds the pages' headers: a policy that lets nothing run or frame it.
    for refused in (page, public):
        assert refused["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
        assert refused["X-Frame-Options"] == "DENY" and refused["X-Content-Type-Options"] == "nosniff"
    nul = client.get(f"/p/{practice.ods_code}%00/")
    assert (
        nul.status_code == 400
        and nul["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    )
    api = client.post(f"/api/v1/practices/{practice.ods_code}/requests", upload, CONTENT_LENGTH=CLAIMED)
    assert api.status_code == 413
    assert api.json()["error"] == {
        "status": 413,
        "code": "too_large",
        "message": "The request is too large: a body may be at most 2,097,152 bytes.",
        "fields": [],
    }


def test_too_many_fields_or_files_is_a_plain_refusal_not_an_error(client, practice, settings):
    staff = factories.sign_in(Client(), factories.staff(practice, "administrator"))
    path = reverse("staff:register", kwargs={"ods": practice.ods_code})
    fields = {f"field{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    assert staff.post(path, fields).status_code == 400
    files = {
        f"file{n}": SimpleUploadedFile(f"{n}.csv", b"a")
        for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    }
    assert staff.post(path, files).status_code == 400
