"""The load run's simulated people (issue 17), for locust: `recordaccess bench_load` starts it headless and
bounded in time against the production shape (recordaccess/proving/shape.py). It needs no Django settings.

- PatientUser: each iteration is a new patient in a new browser: the practice's start page and, once, its assets
  (then cached, as a browser does); each page of the form (GET it, read the CSRF token, POST the answers, follow
  the redirect; a pause of about LOAD_THINK seconds before answering, varying as people do); the check page; send; the reference read off the
  done page; then the progress page, as the done page's link offers (the reference and the date of birth). The
  i-th patient is the i-th registered patient of the practice (recordaccess/intake/formwalk.py) and carries its
  own address in X-Forwarded-For (the shape trusts 127.0.0.1 as its front server), so the per-client limit counts
  patients. About 29 requests a submission, not counting the assets.
- StaffUser: a member of staff signs in once (password, then the authenticator app's six-digit code, computed
  from the device's key as the app would), then works the waiting list: its first page, later pages, its filters,
  the requests list, and opens a request and its review page, pausing 1 to 3 s between pages as people do.
- TrivialUser: asks for /robots.txt, which touches neither the database nor a template: the floor, the rate the
  same stack (gunicorn, every middleware) serves when the page itself costs nothing. Run on its own.

What each request took is written, when the run stops, to the JSON file LOAD_RECORD names: every request's kind
(patient, asset, staff, trivial), start time, milliseconds and status; every reference shown with its patient and
when; failures. bench_load reads it. Settings come from the environment: LOAD_ODS, LOAD_FIRST_PATIENT,
LOAD_REGISTERED, LOAD_THINK, LOAD_PATIENTS_AT_ONCE, LOAD_STAFF, LOAD_STAFF_USERS (JSON: username, password,
TOTP key in hex), LOAD_RECORD.
"""

import itertools
import json
import os
import random
import re
import time
from urllib.parse import urlencode

from django_otp.oath import totp  # a pure function: no settings needed
from locust import FastHttpUser, between, constant, events, task
from locust.exception import StopUser

from recordaccess.intake import formwalk

ODS = os.environ.get("LOAD_ODS", "Z90010")
FIRST_PATIENT = int(os.environ.get("LOAD_FIRST_PATIENT", "0"))
REGISTERED = int(os.environ.get("LOAD_REGISTERED", "100000"))
THINK = float(os.environ.get("LOAD_THINK", "0.5"))
STAFF_USERS = json.loads(os.environ.get("LOAD_STAFF_USERS", "[]"))
RECORD_PATH = os.environ.get("LOAD_RECORD", "")
STAFF_LINK = re.compile(r'href="(/staff/p/[^/"]+/requests/\d+/(?:review/)?)"')

patients = itertools.count(FIRST_PATIENT)
staff_accounts = itertools.count()
record: dict = {"requests": [], "shown": [], "failures": [], "walk_failures": [], "started": 0}


class FailedRequest(formwalk.Unexpected):
    """A request that failed (a status of 400 or more, or no answer): counted once, as a request."""


@events.request.add_listener
def _on_request(
    request_type, name, response_time, response_length, response=None, context=None, exception=None, **kw
):
    status = getattr(response, "status_code", 0) or 0
    record["requests"].append(
        [
            (context or {}).get("kind", "other"),
            kw.get("start_time") or time.time(),
            round(response_time, 2),
            status,
            name,
        ]
    )
    if exception is not None and len(record["failures"]) < 200:
        record["failures"].append(f"{request_type} {name}: {exception!r}"[:300])


@events.user_error.add_listener
def _on_user_error(user_instance, exception, tb, **kw):
    """A staff member's page that said something unexpected (a failed request is counted as a request)."""
    if not isinstance(exception, FailedRequest):
        record["walk_failures"].append(f"{type(user_instance).__name__}: {exception!r}"[:300])


@events.test_stop.add_listener
def _write_record(**kw):
    if RECORD_PATH:
        with open(RECORD_PATH, "w") as out:
            json.dump(record, out)


def pause() -> None:
    """A patient reading the page: LOAD_THINK seconds on average, some quicker and some slower (half to one and a
    half times), as people are; so patients who arrived together do not stay in step page after page."""
    time.sleep(THINK * random.uniform(0.5, 1.5))  # noqa: S311 - not for security


def _form(data: dict | None) -> bytes | None:
    return urlencode(data, doseq=True).encode() if data is not None else None


class PatientUser(FastHttpUser):
    fixed_count = int(os.environ.get("LOAD_PATIENTS_AT_ONCE", "50"))
    wait_time = constant(0)  # each iteration is a new patient; the pauses are inside the walk

    def context(self) -> dict:
        return {"kind": self.kind}

    def fetch(self, method: str, url: str, data=None, name=None):
        self.kind = "asset" if name == "asset" else "patient"
        headers = {"X-Forwarded-For": self.address, "User-Agent": "recordaccess load run (patient)"}
        if data is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        response = self.client.request(
            method, url, name=name, data=_form(data), headers=headers, allow_redirects=False
        )
        if response.status_code >= 400 or response.status_code == 0:
            raise FailedRequest(f"{method} {name or url}: {response.status_code}")
        return response

    @task
    def submit_and_check(self) -> None:
        i = next(patients)
        if i >= REGISTERED:
            raise StopUser()
        record["started"] += 1
        self.address, self.kind = formwalk.address(i), "patient"
        self.client.cookiejar.clear()  # a new browser: no cookies, no cache
        base = ""  # FastHttpSession puts the host in front of a path
        try:
            formwalk.open_start_page(self.fetch, base, ODS)
            token = formwalk.walk(self.fetch, base, ODS, formwalk.answers(i), pause)
            pause()
            reference = formwalk.send(self.fetch, base, ODS, token)
            record["shown"].append([i, reference, time.time()])
            pause()
            formwalk.check_progress(self.fetch, base, ODS, reference, formwalk.born_on(i))
        except FailedRequest:
            pass  # counted with the request
        except formwalk.Unexpected as error:  # a page said something no browser should see
            record["walk_failures"].append(f"patient {i}: {error}"[:300])


class StaffUser(FastHttpUser):
    fixed_count = int(os.environ.get("LOAD_STAFF", "0"))
    wait_time = between(1, 3)

    kind = "staff sign-in"

    def context(self) -> dict:
        return {"kind": self.kind}

    def fetch(self, method: str, url: str, data=None, name=None):
        headers = {"User-Agent": "recordaccess load run (staff)"}
        if data is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        response = self.client.request(
            method, url, name=name, data=_form(data), headers=headers, allow_redirects=False
        )
        if response.status_code >= 400 or response.status_code == 0:
            raise FailedRequest(f"staff {method} {name or url}: {response.status_code}")
        return response

    def on_start(self) -> None:
        account = STAFF_USERS[next(staff_accounts) % len(STAFF_USERS)]
        self.base = f"/staff/p/{ODS}"
        self.opened: list[str] = []
        page = self.fetch("GET", "/staff/sign-in/", name="/staff/sign-in/")
        token = formwalk.TOKEN.search(page.text).group(1)
        signed = self.fetch(
            "POST",
            "/staff/sign-in/",
            {"csrfmiddlewaretoken": token, "username": account["username"], "password": account["password"]},
            name="/staff/sign-in/ (password)",
        )
        if signed.status_code != 302:
            raise formwalk.Unexpected(f"staff sign-in: the password was not accepted ({signed.status_code})")
        verify = signed.headers["Location"]
        page = self.fetch("GET", verify, name="/staff/sign-in/security-code/")
        token = formwalk.TOKEN.search(page.text).group(1)
        code = f"{totp(bytes.fromhex(account['key'])):06d}"
        done = self.fetch(
            "POST",
            verify,
            {"csrfmiddlewaretoken": token, "token": code},
            name="/staff/sign-in/security-code/ (code)",
        )
        if done.status_code != 302:
            raise formwalk.Unexpected(
                f"staff sign-in: the security code was not accepted ({done.status_code})"
            )
        self.kind = "staff"  # signed in: the pages from now on are the staff pages timed
        self.waiting_list()  # the page a member of staff lands on

    def _list(self, query: str, name: str) -> None:
        page = self.fetch("GET", f"{self.base}/waiting-list/{query}", name=name)
        self.opened = STAFF_LINK.findall(page.text) or self.opened

    @task(4)
    def waiting_list(self) -> None:
        self._list("", "waiting list")

    @task(2)
    def later_page(self) -> None:
        self._list(f"?page={random.randint(2, 40)}", "waiting list, a later page")  # noqa: S311

    @task(3)
    def filtered(self) -> None:
        show = random.choice(["past_target", "flagged", "need"])  # noqa: S311
        self._list(f"?show={show}", "waiting list, filtered")

    @task(1)
    def requests_list(self) -> None:
        self.fetch("GET", f"{self.base}/requests/", name="requests list")

    @task(3)
    def open_a_request(self) -> None:
        if self.opened:
            link = random.choice(self.opened)  # noqa: S311
            self.fetch(
                "GET", link, name="a request" if not link.endswith("/review/") else "a request's review"
            )


class TrivialUser(FastHttpUser):
    wait_time = constant(0)

    def context(self) -> dict:
        return {"kind": "trivial"}

    @task
    def robots(self) -> None:
        self.client.get("/robots.txt", name="/robots.txt")
