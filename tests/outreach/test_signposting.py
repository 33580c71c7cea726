"""Every patient-facing item signposts the NHS resources (issue 11, item 12; hazard H57): templates of every
channel by the content rules, and the service's own messages (acknowledgement, decision, booking) by a short link
that keeps texts within their length budget and says nothing clinical."""

import datetime

import pytest
from django.conf import settings

from recordaccess.intake import acknowledge
from recordaccess.intake.models import AccessRequest
from recordaccess.outreach.content import PRIVATE_WORDS, check
from recordaccess.outreach.defaults import defaults_for
from recordaccess.outreach.messages import sms_length
from recordaccess.outreach.models import DirectMessage
from recordaccess.outreach.selectors import resources_link
from recordaccess.review import wording
from recordaccess.review.models import Decision, Outcome
from tests.conversations.test_booking import patient_book, slot

pytestmark = pytest.mark.django_db
# Everything an opt-out announcement must say, except the resources.
WITHOUT_RESOURCES = (
    "((practice name)): you can now see new entries in your GP record online. If you do not want this, tell us "
    "soon: ((preference link)). Our DPIA: ((DPIA link))."
)
LONG_NAME = "The Riverside and Meadowbank Family Medical Practice"  # a long name, to test the budget


@pytest.mark.parametrize("channel", ["poster", "social", "script", "snippet"])
def test_posters_social_posts_scripts_and_snippets_must_signpost_the_resources(channel):
    broken = [b.rule for b in check(body=WITHOUT_RESOURCES, channel=channel, approach="opt_out")]
    assert broken == ["resources"]
    assert (
        check(body=WITHOUT_RESOURCES + " Help: ((resources link))", channel=channel, approach="opt_out") == []
    )


@pytest.mark.parametrize("approach", ["opt_out", "opt_in", "hybrid"])
def test_every_approach_offers_a_snippet_for_newsletters_slips_and_signatures(approach):
    snippets = [t for t in defaults_for(approach) if t.channel == "snippet"]
    assert len(snippets) == 1 and "((resources link))" in snippets[0].body
    assert check(body=snippets[0].body, channel="snippet", approach=approach) == []


def test_the_resources_link_is_the_practices_own_page_that_lists_them(practice):
    assert resources_link(practice) == f"{settings.PUBLIC_BASE_URL}/p/{practice.ods_code}/"


def _request(practice):
    return AccessRequest(practice=practice, reference="abcd2345", contact_by="sms", mobile="07700900001")


def _fits(text):
    length = sms_length(text)
    assert length.fragments <= 3, text  # the budget the default texts keep (test_defaults.py)
    assert not PRIVATE_WORDS.search(text), text


def test_the_acknowledgement_carries_the_resources_link_within_the_text_budget(practice):
    practice.name, practice.phone = LONG_NAME, "0113 496 0123"
    text = acknowledge.wording(_request(practice))
    assert f"NHS help: {resources_link(practice)}" in text
    _fits(text)


@pytest.mark.parametrize("outcome", Outcome.values)
def test_every_decision_message_carries_the_resources_link_within_the_text_budget(practice, outcome):
    practice.name, practice.phone = LONG_NAME, "0113 496 0123"
    decision = Decision(
        request=_request(practice),
        practice=practice,
        outcome=outcome,
        access_from=datetime.date(2026, 12, 1),
        defer_until=datetime.date(2026, 12, 1),
        conversation_needed=outcome == Outcome.DEFERRED,
    )
    text = wording.decision_body(decision, booking_link=f"{settings.PUBLIC_BASE_URL}/b/abcdefghij/")
    assert f"NHS help: {resources_link(practice)}" in text
    _fits(text)


def test_a_booking_message_carries_the_resources_link_within_the_text_budget(practice):
    practice.name, practice.phone = LONG_NAME, "0113 496 0123"
    practice.save()
    patient_book(practice, slot(practice))
    text = DirectMessage.objects.get(channel="sms").body
    assert f"NHS help: {resources_link(practice)}" in text
    _fits(text)
