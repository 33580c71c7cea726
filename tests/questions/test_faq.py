"""The questions page (issue 14, item 1): the default answers, their search, "was this helpful", "ask us" into
the inbox once and rate limited, and a page that says nothing about anyone."""

import datetime
import re

import pytest
from django.test import Client

from recordaccess.audit.models import AuditEntry
from recordaccess.audit.services import Actor
from recordaccess.intake.models import WaitingListPolicy
from recordaccess.patients.models import Patient
from recordaccess.questions import defaults, faq
from recordaccess.questions.models import FaqAnswer, Question, QuestionEntry, QuestionRoute, Topic

pytestmark = pytest.mark.django_db
PAGE = "/p/A81001/questions/"
RESULTS = "/p/A81001/questions/test-results-before-we-talk/"
GOOD = {"name": "Sam Jones", "contact_by": "sms", "mobile": "07700 900 123", "question": "Can my son see it?"}


def _answer(practice, slug="test-results-before-we-talk"):
    faq.ensure_answers(practice)
    return FaqAnswer.objects.get(practice=practice, slug=slug)


def test_the_default_set_answers_every_topic_the_issue_names():
    named = set(Topic.values) - {Topic.OTHER}
    assert {d.topic for d in defaults.DEFAULTS} == named
    assert len({d.slug for d in defaults.DEFAULTS}) == len(defaults.DEFAULTS)
    for d in defaults.DEFAULTS:
        assert d.question and d.answer and d.script and d.may_say and d.may_not_say and d.pass_to_clinician


def test_the_terms_answer_links_the_nhs_abbreviations_list_and_health_a_to_z(client, practice):
    page = client.get("/p/A81001/questions/abbreviations-and-medical-terms/").content.decode()
    assert f'href="{defaults.ABBREVIATIONS}"' in page and f'href="{defaults.NHS_A_TO_Z}"' in page


def test_the_how_long_answer_gives_the_practices_own_waiting_list_target(client, practice):
    WaitingListPolicy.objects.create(practice=practice, target_days=42)
    page = client.get("/p/A81001/questions/how-long-a-request-takes/").content.decode()
    assert "within 42 days" in page and "((" not in page


def test_the_defaults_are_copied_once_per_slug_and_keep_their_rows(practice):
    faq.ensure_answers(practice)
    first = {a.slug: a.pk for a in faq.answers(practice)}
    faq.ensure_answers(practice)
    assert {a.slug: a.pk for a in faq.answers(practice)} == first
    assert len(first) == len(defaults.DEFAULTS)


def test_every_answer_has_its_own_page_and_an_anchor_on_the_questions_page(client, practice):
    page = client.get(PAGE).content.decode()
    assert page.count("<h1") == 1
    for d in defaults.DEFAULTS:
        assert f'id="{d.slug}"' in page
        assert client.get(f"{PAGE}{d.slug}/").status_code == 200
    assert client.get(f"{PAGE}no-such-answer/").status_code == 404
    assert client.get("/p/Z99999/questions/").status_code == 404


def test_search_finds_answers_by_their_words_best_first(practice):
    found = faq.search(practice, "test results")
    assert found[0].answer.slug == "test-results-before-we-talk"
    assert faq.search(practice, "turn OFF")[0].answer.slug == "turn-off-or-ask-for-less"
    assert faq.search(practice, "my child")[0].answer.slug == "proxy-access-children-and-carers"
    assert faq.search(practice, "abbreviations")[0].answer.slug == "abbreviations-and-medical-terms"
    assert faq.search(practice, "pressured")[0].answer.slug == "pressure-to-share-your-record"
    assert faq.search(practice, "how long does it take")[0].answer.slug == "how-long-a-request-takes"


@pytest.mark.parametrize(
    "query", ["", "   ", "the and of", "zzzqqq", "<script>", "%", "\u202e", "x" * 5000, "🙂"]
)
def test_search_with_nothing_to_find_is_an_empty_list(practice, query):
    assert faq.search(practice, query) == []


def test_the_page_says_no_answers_match_and_offers_the_ask_form(client, practice):
    page = client.get(PAGE, {"q": "<b>zzzqqq</b>"})
    text = page.content.decode()
    assert page.status_code == 200 and 'id="no-results"' in text
    assert "&lt;b&gt;zzzqqq&lt;/b&gt;" in text and "<b>zzzqqq" not in text
    assert "/p/A81001/questions/ask/" in text
    assert 'id="no-results"' in client.get(PAGE, {"q": ""}).content.decode()


def test_the_page_lists_matching_answers_with_links_to_them(client, practice):
    text = client.get(PAGE, {"q": "pressure"}).content.decode()
    results = text.split('id="search-results"')[1].split('id="all-answers"')[0]
    assert f"{PAGE}pressure-to-share-your-record/" in results and "1 answer match" in results
    assert "turn-off-or-ask-for-less/" not in results


def test_a_helpful_vote_is_counted_once_per_visit(client, practice):
    client.post(f"{RESULTS}helpful/", {"helpful": "yes"})
    client.post(f"{RESULTS}helpful/", {"helpful": "yes"})
    Client().post(f"{RESULTS}helpful/", {"helpful": "no"})
    answer = _answer(practice)
    assert (answer.helpful, answer.not_helpful) == (1, 1)
    assert client.post(f"{RESULTS}helpful/", {"helpful": "maybe"}).status_code == 302


def test_helpful_votes_past_the_hourly_allowance_are_thanked_but_not_counted(practice):
    for _ in range(faq.VOTES_PER_CLIENT_PER_HOUR + 5):
        response = Client(REMOTE_ADDR="192.0.2.50").post(f"{RESULTS}helpful/", {"helpful": "yes"})
        assert response.status_code == 302
    assert _answer(practice).helpful == faq.VOTES_PER_CLIENT_PER_HOUR


def test_asking_puts_exactly_one_question_in_the_inbox_with_the_answers_topic(client, practice):
    response = client.post(RESULTS, GOOD)
    assert response.status_code == 302 and response["Location"] == f"{PAGE}asked/"
    client.post(RESULTS, GOOD)  # the second click on Send
    question = Question.objects.get()
    assert question.route == QuestionRoute.FAQ and question.topic == Topic.RESULTS
    assert question.faq == _answer(practice) and question.mobile == "07700900123" and question.email == ""
    assert question.patient is None and question.text == "Can my son see it?"
    assert QuestionEntry.objects.filter(question=question).count() == 1
    assert AuditEntry.objects.filter(action="question.received").count() == 1
    done = client.get(response["Location"]).content.decode()
    assert question.reference in done and "by text message" in done


def test_asking_without_an_answer_is_a_question_about_something_else(client, practice):
    client.post(f"{PAGE}ask/", GOOD | {"contact_by": "email", "email": "sam@example.com", "mobile": ""})
    question = Question.objects.get()
    assert question.topic == Topic.OTHER and question.faq is None and question.email == "sam@example.com"


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"name": ""}, "name", "Enter your name"),
        ({"name": "Sam 123"}, "name", "Name must only include letters"),
        ({"contact_by": ""}, "contact_by", "Select how we should reply"),
        ({"mobile": ""}, "mobile", "Enter a mobile phone number, so we can text you"),
        ({"mobile": "0113 496 0000"}, "mobile", "Enter a UK mobile number, like 07700 900 982"),
        ({"contact_by": "email", "email": ""}, "email", "Enter an email address, so we can email you"),
        ({"contact_by": "email", "email": "sam@"}, "email", "Enter an email address in the correct format"),
        ({"question": "  "}, "question", "Enter your question"),
        ({"question": "x" * 2001}, "question", "Question must be 2,000 characters or fewer"),
    ],
)
def test_each_mistake_in_the_ask_form_gets_its_own_message(client, practice, change, field, message):
    response = client.post(RESULTS, GOOD | change)
    text = response.content.decode()
    assert response.status_code == 400 and message in text
    anchor = "contact_by" if field == "contact_by" else f"id_{field}"
    assert "There is a problem" in text and f'href="#{anchor}"' in text
    assert not Question.objects.exists()


def test_the_ask_form_is_rate_limited_per_address(practice):
    stranger = Client(REMOTE_ADDR="192.0.2.77")
    for n in range(faq.ASKS_PER_CLIENT_PER_HOUR):
        assert stranger.post(RESULTS, GOOD | {"question": f"Question {n}"}).status_code == 302
    refused = stranger.post(RESULTS, GOOD | {"question": "One more"})
    assert refused.status_code == 429 and "Come back after" in refused.content.decode()
    assert Question.objects.count() == faq.ASKS_PER_CLIENT_PER_HOUR
    assert Client(REMOTE_ADDR="192.0.2.78").post(RESULTS, GOOD | {"question": "Other"}).status_code == 302


def test_the_ask_form_needs_the_csrf_token(practice):
    guarded = Client(enforce_csrf_checks=True)
    assert guarded.post(RESULTS, GOOD).status_code == 403
    assert not Question.objects.exists()
    page = guarded.get(RESULTS).content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(tokens) == 2  # "was this helpful" and "ask us" each carry one
    assert guarded.post(RESULTS, GOOD | {"csrfmiddlewaretoken": tokens[1]}).status_code == 302


def test_a_registered_patient_and_a_stranger_are_answered_alike(practice):
    """H82: the page never matches the asker to the register, so its answer cannot say whether they are a patient."""
    Patient.objects.create(
        practice=practice,
        nhs_number="9434765919",
        given_name="Sam",
        family_name="Jones",
        date_of_birth=datetime.date(1980, 1, 1),
        mobile="07700900123",
    )
    answers = []
    for mobile, address in (("07700900123", "192.0.2.10"), ("07700900999", "192.0.2.11")):
        asker = Client(REMOTE_ADDR=address)
        sent = asker.post(RESULTS, GOOD | {"mobile": mobile})
        main = asker.get(sent["Location"]).content.decode().split("<main")[1].split("</main>")[0]
        answers.append((sent.status_code, sent["Location"], re.sub(r"Q[0-9A-Z]{8}", "REF", main)))
    assert answers[0] == answers[1]
    assert all(q.patient_id is None for q in Question.objects.all())


def test_the_public_page_shows_no_one_s_details(client, practice):
    client.post(RESULTS, GOOD)
    for url in (PAGE, RESULTS, f"{PAGE}ask/", f"{PAGE}?q=Sam"):
        text = Client().get(url).content.decode()
        assert "Sam Jones" not in text and "07700" not in text and "Can my son" not in text


# --- The editor ----------------------------------------------------------------------------------------------


def test_an_edit_is_saved_audited_and_shows_who_changed_it(staff_client, practice):
    admin = staff_client("administrator")
    answer = _answer(practice)
    form = {f: getattr(answer, f) for f in defaults.FIELDS} | {"published": "on"}
    response = admin.post(
        f"/staff/p/A81001/questions-page/{answer.pk}/", form | {"answer": "Call us about results."}
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.answer == "Call us about results." and answer.updated_by
    assert not faq.is_default(answer)
    entry = AuditEntry.objects.get(action="faq.edited")
    assert entry.object_id == str(answer.pk) and "answer" in entry.detail
    assert "Changed by" in admin.get("/staff/p/A81001/questions-page/").content.decode()
    assert "Call us about results." in Client().get(RESULTS).content.decode()
    assert f"Changed by {answer.updated_by}" in admin.get("/staff/p/A81001/call-guide/").content.decode()


def test_restoring_the_default_puts_the_default_wording_back(staff_client, practice):
    admin = staff_client("administrator")
    answer = _answer(practice)
    faq.update_answer(
        actor=Actor.system("test"), practice=practice, answer_id=answer.pk, answer="Wrong advice."
    )
    assert admin.post(f"/staff/p/A81001/questions-page/{answer.pk}/restore/").status_code == 302
    answer.refresh_from_db()
    assert faq.is_default(answer)
    assert AuditEntry.objects.filter(action="faq.restored").count() == 1


def test_an_edit_with_an_empty_answer_says_what_is_missing(staff_client, practice):
    admin = staff_client("administrator")
    answer = _answer(practice)
    response = admin.post(f"/staff/p/A81001/questions-page/{answer.pk}/", {"question": "", "answer": ""})
    text = response.content.decode()
    assert response.status_code == 400 and "Enter the question" in text and "Enter the answer" in text


def test_a_hidden_answer_leaves_the_public_page_but_stays_in_the_call_guide(staff_client, practice):
    answer = _answer(practice)
    faq.update_answer(actor=Actor.system("test"), practice=practice, answer_id=answer.pk, published=False)
    assert Client().get(RESULTS).status_code == 404
    assert answer.slug not in Client().get(PAGE).content.decode()
    assert answer.slug in staff_client("reception").get("/staff/p/A81001/call-guide/").content.decode()


@pytest.mark.parametrize(
    "role, status", [("administrator", 200), ("reviewer", 403), ("reception", 403), ("observer", 403)]
)
def test_only_an_administrator_edits_the_answers(staff_client, practice, role, status):
    answer = _answer(practice)
    client = staff_client(role)
    assert client.get("/staff/p/A81001/questions-page/").status_code == status
    assert client.get(f"/staff/p/A81001/questions-page/{answer.pk}/").status_code == status


def test_another_practices_answer_is_not_found(staff_client, practice, other_practice):
    theirs = _answer(other_practice)
    admin = staff_client("administrator")
    assert admin.get(f"/staff/p/A81001/questions-page/{theirs.pk}/").status_code == 404
    assert admin.post(f"/staff/p/A81001/questions-page/{theirs.pk}/restore/").status_code == 404
    assert admin.get("/staff/p/A81001/questions-page/999999/").status_code == 404


# --- The call guide ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, status", [("administrator", 200), ("reviewer", 200), ("reception", 200), ("observer", 403)]
)
def test_everyone_who_answers_patients_opens_the_call_guide(staff_client, practice, role, status):
    assert staff_client(role).get("/staff/p/A81001/call-guide/").status_code == status


def test_the_call_guide_has_each_answers_script_and_when_to_pass_it_on(staff_client, practice):
    page = staff_client("reception").get("/staff/p/A81001/call-guide/").content.decode()
    for d in defaults.DEFAULTS:
        assert f'id="{d.slug}"' in page
    assert "Read this" in page and "Do not say" in page and "Pass the call to a clinician when" in page
    assert "recordaccess-printable" in page


def test_the_call_guide_is_searched_from_the_header_of_every_staff_page(staff_client, practice):
    reception = staff_client("reception")
    home = reception.get("/staff/p/A81001/").content.decode()
    assert 'action="/staff/p/A81001/call-guide/"' in home
    found = reception.get("/staff/p/A81001/call-guide/", {"q": "pressure"}).content.decode()
    assert 'id="pressure-to-share-your-record"' in found and 'id="turn-off-or-ask-for-less"' not in found
    nothing = reception.get("/staff/p/A81001/call-guide/", {"q": "zzzqqq <i>"}).content.decode()
    assert "No answers match" in nothing and "&lt;i&gt;" in nothing


def test_an_observer_sees_no_call_guide_search(staff_client, practice):
    page = staff_client("observer").get("/staff/p/A81001/").content.decode()
    assert "call-guide" not in page


def test_the_questions_page_advertises_drop_ins_with_places_left(client, practice):
    """Drop-in sessions (conversations) are advertised on the questions page with their places left."""
    from tests.conversations.test_drop_ins import session

    assert 'id="drop-ins-advert"' not in client.get(PAGE).content.decode()
    drop_in = session(practice, places=3)
    page = client.get(PAGE).content.decode()
    assert 'id="drop-ins-advert"' in page and drop_in.day_and_time in page and "3 places left" in page
    assert "/p/A81001/drop-ins/" in page
