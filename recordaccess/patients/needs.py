"""What a patient's Accessible Information Standard flags ask of anything written to them.

A written format is a short string kept on each campaign message, so what was approved is what is printed:
its name, and for large print (or an easy-read or interpreter letter for someone who also needs large print) the
point size, as in "large_print_24" or "easy_read_28". Braille and British Sign Language cannot be met by a
printed letter: staff arrange those by hand (`NEEDS_STAFF`).
"""

from collections.abc import Iterable

from recordaccess.patients.models import FlagKind

# The point size each coded need asks for at least (NHS England Reasonable Adjustments flag value set: "Requires
# written information in at least 20/24/28 point sans serif font").
LARGE_PRINT_POINTS = {"957331000000109": 20, "957351000000102": 24, "957371000000106": 28}
# A large-print need coded without a size (a practice's own code) gets the smallest size the coded needs ask for.
LARGE_PRINT_DEFAULT_POINTS = 20
# Strongest first: the one format a message is made in.
FORMATS = (
    (FlagKind.BRAILLE, "braille"),
    (FlagKind.BRITISH_SIGN_LANGUAGE, "british_sign_language"),
    (FlagKind.EASY_READ, "easy_read"),
    (FlagKind.LARGE_PRINT, "large_print"),
    (FlagKind.INTERPRETER, "interpreter"),
)
# Needs no printed letter meets: the communication worklist lists these patients for staff to contact.
STAFF_KINDS = frozenset({FlagKind.BRAILLE, FlagKind.BRITISH_SIGN_LANGUAGE})
NEEDS_STAFF = frozenset(name for kind, name in FORMATS if kind in STAFF_KINDS)
SIZED = frozenset({"large_print", "easy_read", "interpreter"})


def large_print_points(codes: Iterable[str]) -> int:
    """The largest size any of a patient's large-print codes asks for."""
    return max((LARGE_PRINT_POINTS.get(code, LARGE_PRINT_DEFAULT_POINTS) for code in codes), default=0)


def written_format(flags: Iterable[tuple[str, str]]) -> str:
    """The format for a patient's (kind, code) communication flags: "" for standard print."""
    flags = list(flags)
    kinds = {kind for kind, _ in flags}
    name = next((name for kind, name in FORMATS if kind in kinds), "")
    points = large_print_points(code for kind, code in flags if kind == FlagKind.LARGE_PRINT)
    return f"{name}_{points}" if points and name in SIZED else name


def parse_format(format: str) -> tuple[str, int]:
    """("large_print", 24) from "large_print_24"; a size of 0 where none is given."""
    name, _, size = format.rpartition("_")
    return (name, int(size)) if size.isdigit() else (format, 0)


def needs_staff(format: str) -> bool:
    return parse_format(format)[0] in NEEDS_STAFF
