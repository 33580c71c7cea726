"""An administrator builds the practice's DPIA through the ICO's seven steps in Chromium, leaves a risk high after
its measures, and is told plainly that the ICO must be consulted before processing starts; the sign-off records it."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from recordaccess.assurance.models import Assessment
from recordaccess.practices.models import Dpia
from recordaccess.practices.roles import Role
from tests import factories
from tests.browser.conftest import go_to, real_errors

pytestmark = pytest.mark.django_db(transaction=True)


def _save(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def _step(page, number: int) -> None:
    with page.expect_navigation():
        page.locator("#steps").get_by_role("link", name=f"{number}. ").click()


def test_a_dpia_with_a_residual_high_risk_says_the_ico_must_be_consulted(page, sign_in_as, practice):
    sign_in_as(factories.staff(practice, Role.ADMINISTRATOR))
    go_to(page, "DPIA step by step")
    expect(page.get_by_role("heading", level=1)).to_have_text("Data protection impact assessment")
    expect(page.locator("#steps tbody tr")).to_have_count(7)
    expect(page.locator("#steps")).not_to_contain_text("Done")

    _step(page, 1)
    page.get_by_label("Why a DPIA is needed").fill("Health records shown online in a new way.")
    _save(page, "Save step 1")
    _step(page, 2)
    for label in ["Nature", "Scope", "Context", "Purposes"]:
        page.get_by_label(f"The {label.lower()} of the processing").fill(f"{label} of online access.")
    _save(page, "Save step 2")
    _step(page, 3)
    page.get_by_label("Data protection officer").check()
    page.get_by_label("Their name, or the group's").fill("ICB DPO")
    when = page.get_by_role("group", name="When")
    today = timezone.localdate()
    when.get_by_label("Day").fill(str(today.day))
    when.get_by_label("Month").fill(str(today.month))
    when.get_by_label("Year").fill(str(today.year))
    page.get_by_label("What they said").fill("Go ahead only with enhanced review.")
    _save(page, "Add consultation")
    expect(page.locator("#consultations")).to_contain_text("ICB DPO")
    page.get_by_role("link", name="All seven steps").click()
    _step(page, 4)
    for label in [
        "Lawful basis",
        "Data minimisation",
        "Information given to patients",
        "How patients exercise their rights",
    ]:
        page.get_by_label(label).fill(f"{label}: written.")
    _save(page, "Save step 4")

    _step(page, 5)
    page.get_by_label("The risk, in a few words").fill("Coercion by a partner")
    page.get_by_label("Source of the risk").fill("A partner makes the patient show the record.")
    page.get_by_role("group", name="Likelihood of harm").get_by_label("Reasonable possibility").check()
    page.get_by_role("group", name="Severity of harm").get_by_label("Serious harm").check()
    _save(page, "Add risk")
    expect(page.locator(".recordaccess-message")).to_contain_text("Its level is high")
    # The matrix reads as a table: the risk sits where serious harm meets a reasonable possibility.
    serious = page.locator("#matrix tbody tr").first
    expect(serious.get_by_role("rowheader")).to_have_text("Serious harm")
    expect(serious.get_by_role("cell").nth(1)).to_contain_text("High")
    expect(serious.get_by_role("cell").nth(1)).to_contain_text("R1")

    with page.expect_navigation():
        page.locator("#register").get_by_role("link", name="Coercion by a partner").click()
    page.get_by_label("Measures to reduce or eliminate the risk").fill(
        "Enhanced review for flagged patients."
    )
    page.get_by_role("group", name="Effect on the risk").get_by_label("Accepted").check()
    page.get_by_role("group", name="Likelihood of harm after the measures").get_by_label(
        "Reasonable possibility"
    ).check()
    page.get_by_role("group", name="Severity of harm after the measures").get_by_label("Serious harm").check()
    page.get_by_role("group", name="Are the measures approved?").get_by_label("Yes").check()
    _save(page, "Save measures")
    expect(page.locator("#ico-warning")).to_contain_text("the ICO must be consulted before processing starts")

    page.get_by_role("link", name="All seven steps").click()
    expect(page.locator("#ico-warning")).to_contain_text("the ICO must be consulted before processing starts")
    expect(page.get_by_role("link", name="Download the consultation pack for the ICO (PDF)")).to_be_visible()

    _step(page, 7)
    expect(page.locator("#unfinished")).to_have_count(0)
    page.get_by_label("DPIA reference").fill("RS-DPIA-2026-02")
    page.get_by_label("Measures approved by").fill("Pat Morgan")
    page.get_by_label("Residual risks approved by").fill("Dr Shah")
    page.get_by_label("Summary of DPO advice").fill("Consult the ICO first.")
    page.get_by_role("group", name="The DPO's advice was").get_by_label("Accepted").check()
    page.get_by_label("This DPIA will be kept under review by").fill("Pat Morgan")
    review = page.get_by_role("group", name="Date of the next review")
    next_year = today + datetime.timedelta(days=365)
    review.get_by_label("Day").fill(str(next_year.day))
    review.get_by_label("Month").fill(str(next_year.month))
    review.get_by_label("Year").fill(str(next_year.year))
    _save(page, "Sign off version 1")
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Confirm that the ICO will be consulted before processing starts")
    page.get_by_label("The ICO will be consulted before processing starts").check()
    _save(page, "Sign off version 1")

    expect(page.locator("#version-status")).to_contain_text("Version 1: signed off on")
    expect(page.locator("#ico-warning")).to_contain_text("the ICO must be consulted before processing starts")
    expect(page.locator("#versions")).to_contain_text("the ICO must be consulted first")
    signed = Assessment.objects.get(practice=practice)
    assert signed.ico_consultation_required and signed.residual_risk == "high"
    dpia = Dpia.objects.get(practice=practice)
    assert (dpia.reference, dpia.residual_risk, dpia.needs_ico_consultation) == (
        "RS-DPIA-2026-02",
        "high",
        True,
    )
    assert real_errors(page.console_errors) == []
