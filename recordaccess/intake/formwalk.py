"""The simulated patients of the benchmarks and the load run: who they are (the i-th registered patient of a
benchmark practice) and how their browser walks the online form, page by page.

Shared by `recordaccess bench_intake` (threads with requests) and the load run's locustfile
(recordaccess/proving/locustfile.py, locust's HTTP client): each gives a `fetch(method, url, data, name)` that
sends one request without following redirects and returns the response, raising `Unexpected` for a status of 400
or more. This module imports nothing of Django at the top, so locust can load it without settings.
"""

import datetime
import re
from collections.abc import Callable
from urllib.parse import urljoin

from recordaccess.core.nhs_number import check_digit

GIVEN, FAMILY = ["Alex", "Sam", "Jo", "Priya", "Tomasz", "Aisha"], ["Smith", "Patel", "Jones", "Nowak"]
BORN = datetime.date(1950, 1, 1)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFERENCE = re.compile(r'id="reference">([0-9A-Z]{4}-[0-9A-Z]{4})<')
ASSET = re.compile(r'(?:href|src)="(/assets/[^"]+)"')
DECLARATIONS = ["leaflet", "security", "sharing", "misuse", "wrong"]

Fetch = Callable[..., object]  # fetch(method, url, data=None, name=None) -> a requests-like response


class Unexpected(Exception):
    """A page answered in a way no browser walking the form should see."""


def nhs_number(i: int) -> str:
    stem = f"{700_000_000 + i * 10:09d}"
    while check_digit(stem) is None:
        stem = f"{int(stem) + 1:09d}"
    return stem + str(check_digit(stem))


def born_on(i: int) -> datetime.date:
    """Each of the 12 pairs of names once a day: every patient's name and date of birth differ from the rest."""
    return BORN + datetime.timedelta(days=i // 12)


def address(i: int) -> str:
    """The i-th simulated patient's address, in 198.18.0.0/15 (set aside for benchmarks: only a header, nothing
    is sent there), carried in X-Forwarded-For so the per-client limit counts patients, not the benchmark."""
    return f"198.{18 + (i >> 16) % 2}.{(i >> 8) % 256}.{i % 256}"


def answers(i: int) -> dict:
    """What the i-th patient (the i-th registered patient of the benchmark practice) types, page by page."""
    wish = ("wants_access", "wants_access", "no_access", "has_questions")[i % 4]
    born = born_on(i)
    return {
        "choice": {"wish": wish},
        "who": {"who": "myself"},
        "name": {"given_name": GIVEN[i % len(GIVEN)], "family_name": FAMILY[i % len(FAMILY)]},
        "date-of-birth": {"day": str(born.day), "month": str(born.month), "year": str(born.year)},
        "address": {"address": f"{i % 300 + 1} Bench Street\nLeeds", "postcode": "LS1 4AP"},
        "nhs-number": {"nhs_number": nhs_number(i)},
        "contact": {"mobile": f"077{i % 100_000_000:08d}", "email": "", "contact_by": "sms"},
        "access": {"access_level": "prospective", "services": ["appointments"]},
        "question": {"question": "Can my carer see my record too?"},
        "needs": {"communication_needs": ""},
        "declarations": {"confirmed": DECLARATIONS},
    }


def open_start_page(fetch: Fetch, base: str, ods: str) -> list[str]:
    """The practice's start page and, once, each asset it names (a new browser's cache is empty)."""
    page = fetch("GET", f"{base}/p/{ods}/", name="/p/[ods]/")
    assets = sorted(set(ASSET.findall(page.text)))
    for asset in assets:
        fetch("GET", urljoin(base, asset), name="asset")
    return assets


def walk(fetch: Fetch, base: str, ods: str, given: dict, pause: Callable[[], None] = lambda: None) -> str:
    """Answer every page as a browser does (GET it, read the CSRF token, POST, follow the redirect); returns the
    CSRF token of the check page."""
    url = f"{base}/p/{ods}/request/choice/"
    for _ in range(20):
        step = url.rstrip("/").rsplit("/", 1)[-1]
        page = fetch("GET", url, name=f"/p/[ods]/request/{step}/")
        token = TOKEN.search(page.text)
        if token is None:
            raise Unexpected(f"no CSRF token on {url}")
        if step == "check":
            return token.group(1)
        pause()
        data = {**given.get(step, {}), "csrfmiddlewaretoken": token.group(1)}
        posted = fetch("POST", url, data, name=f"/p/[ods]/request/{step}/ (answer)")
        if posted.status_code != 302:
            raise Unexpected(f"{step}: the answers were not accepted ({posted.status_code})")
        url = urljoin(base, posted.headers["Location"])
    raise Unexpected("the form never reached the check page")


def send(fetch: Fetch, base: str, ods: str, token: str) -> str:
    """Send from the check page, as the button does; returns the reference the done page shows."""
    check = f"{base}/p/{ods}/request/check/"
    sent = fetch("POST", check, {"csrfmiddlewaretoken": token}, name="/p/[ods]/request/check/ (send)")
    done = fetch("GET", urljoin(base, sent.headers.get("Location", "")), name="/p/[ods]/request/sent/")
    reference = REFERENCE.search(done.text)
    if reference is None:
        raise Unexpected("the done page shows no reference")
    return reference.group(1)


def check_progress(fetch: Fetch, base: str, ods: str, reference: str, born: datetime.date) -> str:
    """The progress page, as the done page's link offers: the reference and the date of birth. Returns the page."""
    url = f"{base}/p/{ods}/request/progress/"
    page = fetch("GET", url, name="/p/[ods]/request/progress/")
    token = TOKEN.search(page.text)
    if token is None:
        raise Unexpected("no CSRF token on the progress page")
    data = {
        "csrfmiddlewaretoken": token.group(1),
        "reference": reference,
        "day": str(born.day),
        "month": str(born.month),
        "year": str(born.year),
    }
    found = fetch("POST", url, data, name="/p/[ods]/request/progress/ (look up)")
    if f"Request {reference}, received" not in found.text:
        raise Unexpected("the progress page did not find the request just sent")
    return found.text


def add_registered_patients(practice, count: int, *, email_every: int = 0) -> None:
    """The first `count` simulated patients on the practice's register, written in bulk (not timed). With
    `email_every`, every such patient also has an email address (a campaign then emails them)."""
    from django.db import transaction

    from recordaccess.patients.models import Patient
    from recordaccess.patients.names import search_key

    def patient(i: int) -> Patient:
        given = answers(i)
        first, last = given["name"]["given_name"], given["name"]["family_name"]
        return Patient(
            practice=practice,
            nhs_number=nhs_number(i),
            given_name=first,
            family_name=last,
            given_key=search_key(first),
            family_key=search_key(last),
            date_of_birth=born_on(i),
            address_line_1=f"{i % 300 + 1} Bench Street",
            town="Leeds",
            postcode="LS1 4AP",
            mobile=f"077{i % 100_000_000:08d}",
            email=f"patient{i}@example.org" if email_every and i % email_every == 0 else "",
        )

    with transaction.atomic():
        Patient.objects.bulk_create((patient(i) for i in range(count)), batch_size=5_000)
