"""An access request sent by an online consultation tool: checked by the public form's own question pages
(intake/forms.py through intake/wizard.py), taken in by the same service (`intake.services.submit`: matching,
the waiting list's order, the acknowledgement through outreach.direct), and never taken in twice for one
Idempotency-Key (a unique constraint, H110)."""

import hashlib
import json
import re

from django.db import IntegrityError, transaction

from recordaccess.api.errors import ApiError
from recordaccess.api.models import ApiToken, IdempotencyKey
from recordaccess.audit.services import Actor
from recordaccess.intake import acknowledge, services, wizard
from recordaccess.intake.forms import DECLARATIONS
from recordaccess.intake.models import Route

KEY = re.compile(r"[A-Za-z0-9._:~-]{1,100}")
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# The form's field names as the API calls them.
FIELD_NAMES = {"who": "for_someone_else", "day": "date_of_birth", "confirmed": "declarations"}


def actor_for(token: ApiToken) -> Actor:
    return Actor(id=None, name=f"API token {token.name} ({token.prefix})")


def _pages(body: dict) -> dict[str, dict]:
    """The request form's pages as the online form would have them filled in."""
    born = (body.get("date_of_birth") or "").strip()
    parts = ISO_DATE.fullmatch(born)
    day, month, year = (parts.group(3), parts.group(2), parts.group(1)) if parts else ("", "", "")
    return {
        "choice": {"wish": body.get("wish", "")},
        "who": {"who": "someone_else" if body.get("for_someone_else") else "myself"},
        "proxy": {k: body.get(k, "") for k in ("requester_name", "requester_relationship", "proxy_basis")},
        "name": {k: body.get(k, "") for k in ("given_name", "family_name")},
        "date-of-birth": {"day": day, "month": month, "year": year},
        "address": {k: body.get(k, "") for k in ("address", "postcode")},
        "nhs-number": {"nhs_number": body.get("nhs_number", "")},
        "contact": {k: body.get(k, "") for k in ("mobile", "phone", "email", "contact_by")},
        "access": {"access_level": body.get("access_level", ""), "services": list(body.get("services", []))},
        "question": {"question": body.get("question", "")},
        "needs": {"communication_needs": body.get("communication_needs", "")},
        "declarations": {"confirmed": [k for k, _ in DECLARATIONS] if body.get("declarations") else []},
    }


def details_from(body: dict) -> services.RequestDetails:
    """The request's details, each page checked as the online form checks it; every problem named by field."""
    pages = _pages(body)
    answers: dict = {}
    problems: list[tuple[str, str]] = []
    born = (body.get("date_of_birth") or "").strip()
    if born and not ISO_DATE.fullmatch(born):
        problems.append(("date_of_birth", "Date of birth must be a real date, written like 1985-03-27"))
    for step in wizard.STEPS:
        if not step.applies(answers | {"choice": pages["choice"], "who": pages["who"]}):
            continue
        form = step.form(pages[step.slug])
        if form.is_valid():
            answers[step.slug] = wizard.stored(form.cleaned_data)
            continue
        for name, messages in form.errors.items():
            field = FIELD_NAMES.get(name, name if name != "__all__" else "body")
            if field == "date_of_birth" and problems and problems[0][0] == "date_of_birth":
                continue
            problems.extend((field, message) for message in messages)
    if problems:
        raise ApiError(422, fields=problems)
    return wizard.details(answers)


def _digest(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def create(*, token: ApiToken, practice, key: str, body: dict) -> tuple[int, dict, bool]:
    """Take the request in once for this key: returns the status, the answer and whether it was given before."""
    if not KEY.fullmatch(key or ""):
        raise ApiError(
            422,
            fields=[("Idempotency-Key", "Send an Idempotency-Key of 1 to 100 letters, digits or . _ : ~ -")],
        )
    digest = _digest(body)
    with transaction.atomic():
        earlier = IdempotencyKey.objects.filter(practice=practice, key=key).first()
        if earlier is not None:
            return _again(earlier, digest)
        details = details_from(body)
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    practice=practice, key=key, body_sha256=digest, token=token, status_code=201, response={}
                )
        except IntegrityError:
            # Another call with this key got there first and has finished (the insert waited for it).
            return _again(IdempotencyKey.objects.get(practice=practice, key=key), digest)
        saved, joined = services.submit(
            practice=practice, details=details, route=Route.ONLINE, actor=actor_for(token)
        )
        answer = {
            "reference": saved.reference_display,
            "received_at": saved.received_at.isoformat(),
            "acknowledgement": acknowledge.needed(saved) or None,
            "repeat_of_earlier": joined,
        }
        row.response = answer
        row.save(update_fields=["response"])
    return 201, answer, False


def _again(earlier: IdempotencyKey, digest: str) -> tuple[int, dict, bool]:
    if earlier.body_sha256 != digest:
        raise ApiError(
            409,
            "This Idempotency-Key was used for a different request. Use a new key for a new request.",
        )
    return earlier.status_code, earlier.response, True
