"""The online request form as a series of question pages, kept in the session until the patient sends it.

Pages that do not apply are skipped: the proxy page only for someone asking for another person, what to see
only for those who want access, the question only for those who have one. Answers to pages that stopped
applying (the patient went back and changed their mind) are never sent.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from recordaccess.intake import forms
from recordaccess.intake.services import RequestDetails


def _wish(answers: dict) -> str:
    return answers.get("choice", {}).get("wish", "")


def for_someone_else(answers: dict) -> bool:
    return answers.get("who", {}).get("who") == "someone_else"


@dataclass(frozen=True)
class Step:
    slug: str
    form: type
    question: Callable[[dict], str]
    applies: Callable[[dict], bool] = lambda answers: True

    def title(self, answers: dict) -> str:
        return self.question(answers)


def _yours(answers: dict, mine: str, theirs: str) -> str:
    return theirs if for_someone_else(answers) else mine


STEPS = [
    Step("choice", forms.ChoiceForm, lambda a: "What would you like to do?"),
    Step("who", forms.WhoForm, lambda a: "Who is this for?"),
    Step("proxy", forms.ProxyForm, lambda a: "About you", for_someone_else),
    Step("name", forms.NameForm, lambda a: _yours(a, "What is your name?", "What is their name?")),
    Step(
        "date-of-birth",
        forms.DateOfBirthForm,
        lambda a: _yours(a, "What is your date of birth?", "What is their date of birth?"),
    ),
    Step(
        "address", forms.AddressForm, lambda a: _yours(a, "What is your address?", "What is their address?")
    ),
    Step(
        "nhs-number",
        forms.NhsNumberForm,
        lambda a: _yours(a, "What is your NHS number?", "What is their NHS number?"),
    ),
    Step("contact", forms.ContactForm, lambda a: "How can we contact you?"),
    Step(
        "access",
        forms.AccessForm,
        lambda a: "What would you like to see?",
        lambda a: _wish(a) == "wants_access",
    ),
    Step(
        "question",
        forms.QuestionForm,
        lambda a: "What is your question?",
        lambda a: _wish(a) == "has_questions",
    ),
    Step("needs", forms.NeedsForm, lambda a: "Communication needs"),
    Step(
        "declarations",
        forms.DeclarationsForm,
        lambda a: "Before you ask for access",
        lambda a: _wish(a) == "wants_access",
    ),
]
BY_SLUG = {step.slug: step for step in STEPS}


def applicable(answers: dict) -> list[Step]:
    return [step for step in STEPS if step.applies(answers)]


def next_slug(answers: dict, after: str) -> str:
    """The next page to show: the first applicable page not yet answered after this one, else the check page."""
    steps = applicable(answers)
    slugs = [s.slug for s in steps]
    start = slugs.index(after) + 1 if after in slugs else 0
    for step in steps[start:]:
        if step.slug not in answers:
            return step.slug
    return "check"


def first_unanswered(answers: dict) -> str | None:
    for step in applicable(answers):
        if step.slug not in answers:
            return step.slug
    return None


def stored(cleaned: dict) -> dict:
    """Form data as the session keeps it (JSON): dates as ISO text, the honeypot dropped."""
    return {
        key: value.isoformat() if isinstance(value, datetime.date) else value
        for key, value in cleaned.items()
        if key != "website"
    }


def details(answers: dict) -> RequestDetails:
    """The request the answers make, from the pages that apply only."""
    used = {step.slug for step in applicable(answers)}

    def get(slug: str, key: str, default=""):
        return answers.get(slug, {}).get(key, default) if slug in used else default

    services = get("access", "services", [])
    return RequestDetails(
        wish=get("choice", "wish"),
        given_name=get("name", "given_name"),
        family_name=get("name", "family_name"),
        date_of_birth=datetime.date.fromisoformat(get("date-of-birth", "date_of_birth")),
        address=get("address", "address"),
        postcode=get("address", "postcode"),
        nhs_number=get("nhs-number", "nhs_number"),
        mobile=get("contact", "mobile"),
        phone=get("contact", "phone"),
        email=get("contact", "email"),
        contact_by=get("contact", "contact_by", "sms"),
        communication_needs=get("needs", "communication_needs"),
        access_level=get("access", "access_level"),
        appointments="appointments" in services,
        prescriptions="prescriptions" in services,
        question=get("question", "question"),
        declarations="declarations" in used and bool(get("declarations", "confirmed", [])),
        for_someone_else="proxy" in used,
        requester_name=get("proxy", "requester_name"),
        requester_relationship=get("proxy", "requester_relationship"),
        proxy_basis=get("proxy", "proxy_basis"),
    )
