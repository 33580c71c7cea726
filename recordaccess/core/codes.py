"""Random codes people read, type or say: Crockford's base 32 (no i, l, o or u to mistake for 1, 0 or each other)."""

import secrets

ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"


def random_code(length: int) -> str:
    """`length` characters carrying 5 random bits each."""
    bits = int.from_bytes(secrets.token_bytes((5 * length + 7) // 8))
    return "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(length))


def normalise(code: str) -> str:
    """As typed or read out: case, spaces and dashes ignored; o read as 0 and i or l as 1."""
    cleaned = "".join(code.lower().split()).replace("-", "")
    return cleaned.translate(str.maketrans({"o": "0", "i": "1", "l": "1"}))
