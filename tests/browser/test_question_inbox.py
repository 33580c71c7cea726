"""A patient asks a question from the link in our message; a receptionist, signed in with two-factor, finds it in
the question inbox and answers it by text through the local Notify-compatible server; the patient is messaged
once, however often the answer is sent."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from recordaccess.practices.roles import Role
from tests import factories
from tests.browser.conftest import go_to, real_errors
from tests.outreach.conftest import campaign, people, templates  # noqa: F401 - fixtures
from tests.outreach.test_replies import own_link, sent  # noqa: F401 - sent is a fixture

pytestmark = pytest.mark.django_db(transaction=True)
QUESTION = "Will my daughter be able to see it too?"
ANSWER = "Only you can see it, unless you ask us to give her access as well. Call us if you would like that."


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)


def test_a_question_from_a_message_link_is_answered_by_text_once(
    page, new_context, sign_in_as, notify, request, settings
):
    # The database queue, which `run_worker` works, whichever backend the run uses (CI's second run uses RQ).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    practice = request.getfixturevalue(
        "sent"
    ).practice  # the campaign's messages, each with its patient's link
    patient = request.getfixturevalue("people")["sms"]
    patient_page = new_context().new_page()
    patient_page.goto(own_link(patient))
    patient_page.get_by_label("I have questions: please contact me").check()
    patient_page.get_by_label("If you have a question, what would you like to ask?").fill(QUESTION)
    patient_page.get_by_role("button", name="Send your answer").click()
    expect(patient_page.get_by_text("will contact you to answer your questions")).to_be_visible()
    patient_page.context.close()

    sign_in_as(factories.staff(practice, Role.RECEPTION, "rec-ann"))
    expect(page.locator("#home-work")).to_contain_text("1 new question to pick up")
    go_to(page, "Question inbox")
    row = page.locator("#questions tr", has_text=QUESTION)
    expect(row).to_contain_text(str(patient))
    expect(row).to_contain_text("Link in our message")
    row.get_by_role("link").click()
    expect(page.locator("#thread")).to_contain_text(QUESTION)
    page.get_by_role("button", name="Assign to me").click()
    expect(page.get_by_text("The question is yours.")).to_be_visible()

    answer = page.locator("#answer-form")
    answer.get_by_label("Text message").check()
    answer.get_by_label("Your answer").fill("Your blood test is not shown to her.")
    page.get_by_role("button", name="Send the answer").click()  # a clinical word in a text is refused
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("must not carry clinical or risk detail")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("“blood test”")
    answer = page.locator("#answer-form")
    answer.get_by_label("Your answer").fill(ANSWER)
    sent_again = {  # the same form, as a second click or a retry would send it
        "csrfmiddlewaretoken": answer.locator("input[name=csrfmiddlewaretoken]").input_value(),
        "answer-number": answer.locator("input[name='answer-number']").input_value(),
        "answer-channel": "sms",
        "answer-then": "answered",
        "answer-text": ANSWER,
    }
    action = answer.get_attribute("action")
    page.get_by_role("button", name="Send the answer").click()
    expect(page.get_by_text("Answer sent by text message.")).to_be_visible()
    again = page.request.post(action, form=sent_again)
    assert again.ok and "it is sent once" in again.text()
    run_worker()
    run_worker()

    assert len(notify.notifications) == 1
    [sent_text] = notify.notifications
    assert sent_text["phone_number"].replace(" ", "").endswith("7700900001")
    assert ANSWER in str(sent_text["personalisation"])
    page.reload()
    expect(page.locator("#thread")).to_contain_text(ANSWER)
    expect(page.locator("#thread")).to_contain_text("sent")
    expect(page.locator("#closed")).to_contain_text("Answered by rec-ann")
    assert real_errors(page.console_errors) == []
