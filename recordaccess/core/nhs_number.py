"""NHS numbers: ten digits whose last is a Modulus 11 check digit. The one place they are checked."""

from operator import mul

WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None where the remainder makes 10 (no valid number exists)."""
    total = sum(map(mul, map(int, first_nine), WEIGHTS))
    digit = 11 - total % 11
    if digit == 11:
        return 0
    return None if digit == 10 else digit


def normalise(value: str) -> str:
    """Strip the spaces and dashes people write NHS numbers with: '943 476 5919' → '9434765919'."""
    if value.isdigit():
        return value
    return "".join(ch for ch in (value or "") if ch not in " -\t")


def is_valid(value: str) -> bool:
    number = normalise(value)
    if len(number) != 10 or not number.isdigit():
        return False
    return check_digit(number[:9]) == int(number[9])


def formatted(number: str) -> str:
    """As the NHS writes it: 943 476 5919."""
    return f"{number[:3]} {number[3:6]} {number[6:]}"
