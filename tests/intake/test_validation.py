"""Hypothesis drives the validators: whatever comes in, a value is either accepted in its normal form or refused
with a message; nothing accepted changes when checked again; and every accepted request is stored whole."""

import datetime
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recordaccess.audit.services import Actor
from recordaccess.intake import validation
from recordaccess.intake.models import AccessRequest
from recordaccess.intake.services import RequestDetails, submit

TODAY = datetime.date(2026, 11, 25)
names = st.text(alphabet=st.characters(categories=["L"]), min_size=1, max_size=30)


@given(st.text(max_size=300))
def test_names_are_accepted_in_normal_form_or_refused_with_a_message(value):
    try:
        cleaned = validation.name(value, what="a last name")
    except validation.Invalid as error:
        assert str(error)
    else:
        assert cleaned == validation.name(cleaned, what="a last name")  # checking again changes nothing
        assert 0 < len(cleaned) <= 100


@given(names, names)
def test_real_names_in_any_alphabet_are_accepted(first, second):
    written = f"{first}-{second}"
    assert validation.name(written, what="a name") == unicodedata.normalize("NFC", written)


@given(st.text(max_size=3000))
def test_free_text_keeps_no_control_characters_and_stays_within_its_limit(value):
    try:
        cleaned = validation.text(value, limit=2000, what="your question")
    except validation.Invalid:
        return
    assert len(cleaned) <= 2000
    assert all(ch == "\n" or ch.isprintable() or ch.isspace() for ch in cleaned)


@given(st.dates(min_value=datetime.date(1901, 1, 1), max_value=TODAY))
def test_every_real_past_date_is_accepted(born):
    assert validation.date_of_birth(str(born.day), str(born.month), str(born.year), today=TODAY) == born


@given(st.text(max_size=4), st.text(max_size=4), st.text(max_size=6))
def test_any_date_parts_are_accepted_as_a_date_or_refused_with_a_message(day, month, year):
    try:
        born = validation.date_of_birth(day, month, year, today=TODAY)
    except validation.Invalid as error:
        assert str(error).startswith(("Enter", "Date of birth", "Check"))
    else:
        assert born <= TODAY


@given(st.text(max_size=20))
def test_postcodes_and_numbers_are_normalised_or_refused(value):
    for check in (validation.postcode, validation.optional_nhs_number, validation.optional_mobile):
        try:
            cleaned = check(value)
        except validation.Invalid as error:
            assert str(error)
        else:
            assert check(cleaned) == cleaned


def as_text(value: str) -> str:
    return validation.text(value, limit=2000, what="text")


details = st.builds(
    RequestDetails,
    wish=st.sampled_from(["wants_access", "no_access", "has_questions"]),
    given_name=names,
    family_name=names,
    date_of_birth=st.dates(min_value=datetime.date(1910, 1, 1), max_value=TODAY),
    # Free text as the forms pass it on: through the same validator (which drops NUL and other controls).
    address=st.text(min_size=1, max_size=200).map(as_text).filter(bool),
    postcode=st.sampled_from(["LS1 4AP", "M1 1AE", "SW1A 1AA"]),
    question=st.text(max_size=500).map(as_text),
    communication_needs=st.text(max_size=300).map(as_text),
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(details, min_size=1, max_size=5))
def test_nothing_accepted_is_lost(practice, batch):
    AccessRequest.objects.all().delete()
    distinct = {}
    for item in batch:
        saved, joined = submit(practice=practice, details=item, route="online", actor=Actor.system("test"))
        distinct.setdefault(item.fingerprint(practice.pk), saved.pk)
        assert saved.pk == distinct[item.fingerprint(practice.pk)]
        stored = AccessRequest.objects.get(pk=saved.pk)
        if not joined:
            assert (stored.question, stored.communication_needs, stored.address) == (
                item.question,
                item.communication_needs,
                item.address,
            )
    assert AccessRequest.objects.count() == len(distinct)
