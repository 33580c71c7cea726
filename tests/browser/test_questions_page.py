"""A patient finds an answer on the practice's questions page by searching it, reads it, says it helped and
asks a question, in Chromium; axe-core finds no WCAG 2.2 A or AA violation on the way, error summary included.
A receptionist searches the call guide from the header of any staff page."""

import pytest
from playwright.sync_api import expect

from recordaccess.practices.roles import Role
from recordaccess.questions.models import FaqAnswer, Question, QuestionRoute
from tests import factories
from tests.browser.axe import accessible
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def patient_page(new_context):
    # axe-core is injected as an inline script, which our Content Security Policy would rightly refuse.
    return new_context(bypass_csp=True).new_page()


def test_a_patient_finds_an_answer_by_search_and_asks_about_it(patient_page):
    factories.practice("A81001", name="Riverside Surgery")
    page = patient_page
    page.goto("/p/A81001/")
    with page.expect_navigation():
        page.get_by_role("link", name="Questions about your GP record online, answered").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Questions about your GP record online")
    accessible(page)

    page.get_by_label("Search our answers").fill("blood test results")
    with page.expect_navigation():
        page.get_by_role("button", name="Search", exact=True).click()
    results = page.locator("#search-results")
    expect(results.get_by_role("heading", level=2).first).to_contain_text("match “blood test results”")
    accessible(page)
    with page.expect_navigation():
        results.get_by_role(
            "link", name="Will I see test results before a doctor has talked to me about them?"
        ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Will I see test results before a doctor has talked to me about them?"
    )
    expect(page.locator("#answer")).to_contain_text("we will contact you")
    accessible(page)

    with page.expect_navigation():
        page.locator("#helpful").get_by_role("button").first.click()
    expect(page.get_by_role("status")).to_contain_text("Thank you for telling us")
    assert FaqAnswer.objects.get(slug="test-results-before-we-talk").helpful == 1

    page.get_by_role("button", name="Send your question").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter your name")
    expect(summary).to_contain_text("Select how we should reply")
    expect(summary).to_contain_text("Enter your question")
    accessible(page)

    page.get_by_label("Your name").fill("Sam Jones")
    page.get_by_label("By text message").check()
    page.get_by_label("Mobile phone number").fill("07700 900 123")
    page.get_by_label("Your question").fill("Who can I talk to about a result?")
    with page.expect_navigation():
        page.get_by_role("button", name="Send your question").click()
    expect(page.locator(".nhsuk-panel")).to_contain_text("We have your question")
    accessible(page)
    question = Question.objects.get()
    assert question.route == QuestionRoute.FAQ and question.faq.slug == "test-results-before-we-talk"


def test_a_search_that_finds_nothing_offers_the_ask_us_form(patient_page):
    factories.practice("A81001", name="Riverside Surgery")
    page = patient_page
    page.goto("/p/A81001/questions/")
    page.get_by_label("Search our answers").fill("parking <b>")
    with page.expect_navigation():
        page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("#no-results")).to_have_text("No answers match “parking <b>”")
    accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="ask us a question").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask us a question about your GP record online")
    accessible(page)


def test_reception_searches_the_call_guide_from_the_header(new_context):
    practice = factories.practice("A81001", name="Riverside Surgery")
    page = sign_in(new_context(bypass_csp=True).new_page(), factories.staff(practice, Role.RECEPTION))
    page.get_by_role("searchbox", name="Search the call guide").fill("pressure")
    with page.expect_navigation():
        page.get_by_role("searchbox", name="Search the call guide").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Call guide")
    expect(page.locator("#pressure-to-share-your-record")).to_contain_text("Read this")
    expect(page.locator("#turn-off-or-ask-for-less")).to_have_count(0)
    accessible(page)
    page.emulate_media(media="print")
    expect(page.locator(".nhsuk-header")).to_be_hidden()
    expect(page.locator("#pressure-to-share-your-record")).to_be_visible()
