import pytest
from hypothesis import given
from hypothesis import strategies as st

from recordaccess.outreach.messages import (
    GSM_BASIC,
    SMS_MAX_CHARACTERS,
    TemplateError,
    placeholders,
    render,
    sms_cost_pence,
    sms_length,
)


@pytest.mark.parametrize(
    ("characters", "fragments"), [(1, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3), (460, 4)]
)
def test_gsm_messages_split_at_160_then_153(characters, fragments):
    info = sms_length("a" * characters)
    assert (info.encoding, info.characters, info.fragments) == ("GSM-7", characters, fragments)


@pytest.mark.parametrize(("characters", "fragments"), [(70, 1), (71, 2), (134, 2), (135, 3)])
def test_unicode_messages_split_at_70_then_67(characters, fragments):
    info = sms_length("ŵ" + "a" * (characters - 1))
    assert (info.encoding, info.fragments) == ("Unicode", fragments)


@pytest.mark.parametrize("extension", ["€", "^", "{", "}", "[", "]", "~", "|", "\\"])
def test_gsm_extension_characters_count_twice(extension):
    info = sms_length("a" * 158 + extension)
    assert info.encoding == "GSM-7"
    assert info.characters == 160 and info.fragments == 1
    assert sms_length("a" * 159 + extension).fragments == 2


def test_characters_that_force_unicode_are_named_for_the_editor():
    info = sms_length("Your GP record 🙂 — Dewi’s practice in Llanrwst ŵ")
    assert info.encoding == "Unicode"
    assert info.unicode_characters == ("🙂", "ŵ")


def test_look_alike_characters_pasted_from_word_processors_stay_gsm():
    info = sms_length("“Hello” – it’s your GP… here")
    assert info.encoding == "GSM-7"
    assert info.text == '"Hello" - it\'s your GP... here'


def test_notifys_maximum_length_is_flagged():
    assert not sms_length("a" * SMS_MAX_CHARACTERS).too_long
    assert sms_length("a" * (SMS_MAX_CHARACTERS + 1)).too_long


@given(st.text(alphabet=sorted(GSM_BASIC - {"\r"}), min_size=1, max_size=1000))
def test_gsm_fragments_are_the_fewest_that_hold_the_message(text):
    info = sms_length(text)
    assert info.encoding == "GSM-7"
    capacity = 160 if info.fragments == 1 else 153 * info.fragments
    assert info.characters <= capacity
    assert info.fragments == 1 or info.characters > (
        160 if info.fragments == 2 else 153 * (info.fragments - 1)
    )


def test_placeholders_are_found_once_each_in_order():
    assert placeholders("Dear ((first name)), ((practice name)) says hi ((First  Name))") == [
        "first name",
        "practice name",
    ]


def test_render_fills_placeholders_whatever_their_case_and_spacing():
    text = render(
        "Dear ((First Name)), see ((dpia link))", {"first name": "Zoë", "DPIA link": "https://x.example"}
    )
    assert text == "Dear Zoë, see https://x.example"


def test_render_refuses_to_leave_a_placeholder_blank():
    with pytest.raises(TemplateError, match=r"No value for \(\(first name\)\), \(\(reference\)\)"):
        render("Dear ((first name)), your reference is ((reference))", {"first name": ""})


def test_campaign_cost_is_fragments_times_recipients_times_price():
    assert sms_cost_pence(fragments=2, recipients=30_000, price_per_fragment_pence=2.27) == 136_200.0
