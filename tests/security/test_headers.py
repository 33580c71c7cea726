"""The security headers on the answers the walks of every staff page and API operation do not reach: the public
pages, the API's schema and docs and its 404, the health check, downloads, and the static files (which alone may
be kept by browsers). The production shape's own (HSTS, secure cookies) are tests/test_production_shape.py."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.security.test_every_page_and_operation import private_headers

pytestmark = pytest.mark.django_db


def test_public_pages_api_addresses_and_downloads_carry_the_security_headers_and_are_not_kept(practice):
    ods = practice.ods_code
    nobody = Client()
    for path in (
        f"/p/{ods}/",
        f"/p/{ods}/request/name/",
        f"/p/{ods}/questions/",
        f"/p/{ods}/drop-ins/",
        "/r/abcdefghij/",
        f"/p/{ods}/no-such-page/",
        "/api/v1/openapi.json",
        "/api/v1/docs",
        "/api/v1/nowhere",
    ):
        response = nobody.get(path)
        assert response.status_code < 500, path
        private_headers(response, path)
    staff = factories.sign_in(Client(), factories.staff(practice, "administrator"))
    for name in ("programme_csv", "pomi_csv", "audit"):
        response = staff.get(reverse(f"staff:{name}", kwargs={"ods": ods}))
        assert response.status_code == 200, name
        private_headers(response, name)


def test_static_files_alone_may_be_kept(client, settings):
    response = client.get(settings.STATIC_URL + "nhsuk-frontend.min.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert response["X-Content-Type-Options"] == "nosniff"
