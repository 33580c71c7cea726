"""An administrator opens the practice plan in Chromium: each section's status and what is missing, then, with
the service's side done, every section done, approves it and downloads the PDF, which holds every section."""

import io
import pathlib
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from recordaccess.assurance import plan as plans
from recordaccess.assurance import services
from recordaccess.practices.roles import Role
from tests import factories
from tests.assurance.conftest import ACTOR, SIGN_OFF, ready_to_sign, review_date
from tests.assurance.test_export import complete
from tests.browser.conftest import go_to, real_errors

pytestmark = pytest.mark.django_db(transaction=True)


def _sign(practice):
    ready_to_sign(practice)
    services.sign_off(actor=ACTOR, practice=practice, signer=None, review_on=review_date(), **SIGN_OFF)


def test_the_plan_shows_each_sections_status_then_is_approved_and_downloaded(page, sign_in_as, practice):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in_as(factories.staff(practice, Role.ADMINISTRATOR))
    go_to(page, "Practice plan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Practice plan")
    expect(page.locator("#sections tbody tr")).to_have_count(len(plans.KEYS))
    expect(page.locator("#section-vulnerable")).to_contain_text("Missing")
    expect(page.locator("#section-vulnerable")).to_contain_text("Sign off the DPIA")
    expect(page.locator("#section-direct_request")).to_contain_text("Done")

    complete(practice, lambda: _sign(practice))
    page.reload()
    for key in plans.KEYS:
        expect(page.locator(f"#section-{key}")).to_contain_text("Done")
    with page.expect_navigation():
        page.get_by_role("button", name="Approve version 1").click()
    expect(page.locator("#plan-status")).to_contain_text("Version 1: approved on")

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("as a PDF")).click()
    body = pathlib.Path(download.value.path()).read_bytes()
    text = re.sub(r"\s+", " ", "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages))
    for title in plans.TITLES.values():
        assert title in text
    assert "Step 7: Sign off and record outcomes" in text
    assert real_errors(errors) == []
