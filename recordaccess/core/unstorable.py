"""Input that no database can store, refused at the door.

PostgreSQL refuses a NUL character in text, and neither database can encode half of a surrogate pair (a JSON
body can carry one, as "\\ud800"). Either one reaching a query is a server error, and a page that fails on
crafted input is one an attacker can keep failing (hazard H45). So before anything reads the database, one
middleware looks wherever a view or another middleware could read text from the request: the path, the query
string, the headers and cookies, form fields, and every string of a JSON body (Django already drops what is
not printable from the names of uploaded files). It answers 400 with a plain page that says what was wrong
and where.

Other control characters are let through: databases store them, and the forms where people type drop them
(intake/validation.py), so someone who pasted an odd character is shown their form again, not an error.
"""

import json
import re

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse

from recordaccess.core.errors import early_refusal

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def holds_unstorable(value) -> bool:
    """Whether a string, or any string inside decoded JSON (keys included), holds a character no database
    stores. Walked without recursion: JSON can nest deeper than Python's stack."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if UNSTORABLE.search(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _field(fields, kind: str) -> str:
    """The first field of a QueryDict holding an unstorable character, named when its name is a plain word."""
    for key, values in fields.lists():
        if holds_unstorable([key, *values]):
            return f"{kind} “{key}”" if re.fullmatch(r"[\w-]{1,40}", key) else kind
    return ""


def _where(request: HttpRequest) -> str:
    """Where the request carries an unstorable character, or '' when it carries none."""
    if holds_unstorable(request.path_info):
        return "the address"
    if found := _field(request.GET, "the query string's field"):
        return found
    if any(key.startswith("HTTP_") and holds_unstorable(value) for key, value in request.META.items()):
        return "a header"
    if holds_unstorable(request.COOKIES):
        return "a cookie"
    if request.method != "POST":
        return ""
    if request.content_type == "application/json":
        try:
            decoded = json.loads(request.body)
        except (ValueError, RecursionError):
            return ""  # not JSON at all: the view that reads it says so
        return "the JSON body" if holds_unstorable(decoded) else ""
    if found := _field(request.POST, "the form field"):
        return found
    return ""


class RefuseUnstorableInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            where = _where(request)
        except RequestDataTooBig:
            # Too large to read, so nothing of it can reach a query: the view that reads it refuses it (Django's
            # 400, or the API's in its own shape, recorded as every call is).
            where = ""
        if where:
            return early_refusal(
                request,
                400,
                "bad_request",
                f"{where[0].upper()}{where[1:]} holds a character that cannot be stored.",
                "Go back, remove it and try again.",
                said=f"Bad request: {where} holds a character that cannot be stored (a NUL character, or half of a "
                "surrogate pair).",
            )
        return self.get_response(request)
