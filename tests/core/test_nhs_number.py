import pytest
from hypothesis import given
from hypothesis import strategies as st

from recordaccess.core import nhs_number

stems = st.text(alphabet="0123456789", min_size=9, max_size=9).filter(
    lambda s: nhs_number.check_digit(s) is not None
)


@pytest.mark.parametrize(
    "written", ["9434765919", "943 476 5919", "943-476-5919", " 401 023 2137 ", "401-023-2137"]
)
def test_valid_numbers_pass_however_they_are_written(written):
    assert nhs_number.is_valid(written)


@pytest.mark.parametrize("bad", ["9434765918", "943476591", "94347659190", "94347659AB", "", "abcdefghij"])
def test_wrong_check_digits_lengths_and_letters_fail(bad):
    assert not nhs_number.is_valid(bad)


def test_a_stem_whose_check_digit_would_be_ten_has_no_valid_number():
    stem = "000000006"  # weighted sum 12: 11 - 12 % 11 = 10
    assert nhs_number.check_digit(stem) is None
    assert not any(nhs_number.is_valid(f"{stem}{d}") for d in range(10))


def test_numbers_are_formatted_in_threes_threes_and_fours():
    assert nhs_number.formatted("9434765919") == "943 476 5919"


@given(stems)
def test_a_stem_with_its_check_digit_is_valid(stem):
    assert nhs_number.is_valid(f"{stem}{nhs_number.check_digit(stem)}")


@given(stems, st.integers(min_value=0, max_value=9), st.integers(min_value=1, max_value=9))
def test_changing_any_one_digit_makes_a_valid_number_invalid(stem, position, shift):
    number = f"{stem}{nhs_number.check_digit(stem)}"
    changed = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1 :]
    assert not nhs_number.is_valid(changed)
