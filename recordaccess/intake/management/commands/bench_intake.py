"""`recordaccess bench_intake --browsers N --seconds S [--server runserver|gunicorn] [--json]`: the hour after a
campaign, compressed: a burst of patients walked through the online form page by page, as browsers would.

1. Adds registered patients to a benchmark practice (emptied before and after), whose details the simulated
   patients give, so each request is matched to the register as a real one would be.
2. Starts the app the way the README does, on a free port of 127.0.0.1: `runserver` on SQLite, gunicorn with two
   workers on PostgreSQL, and the task worker beside it. TRUSTED_PROXIES=127.0.0.1 lets each simulated patient
   carry its own address in X-Forwarded-For (from 198.18.0.0/15, the range set aside for benchmarks: only a header,
   nothing is sent there), so the per-client limit counts patients, not the benchmark.
3. N browsers, each a thread: for every new patient, a fresh session; the start page and its assets; then each
   question page: GET it, read the CSRF token, POST the answers, follow the redirect; the check page; send; read
   the reference. Every --double-every'th patient sends twice at the same moment, alternately from one session
   (a double click) and from two sessions with the same answers. No new patient starts after --seconds.
4. Reports page and submission times, server errors, requests refused, and from the database: every reference
   shown stored once, none lost, double sends joined, one acknowledgement each (once the worker has sent them).
"""

import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import PROTECT
from django.test import RequestFactory

from recordaccess.audit.services import Actor
from recordaccess.core.processes import database_url
from recordaccess.intake import formwalk
from recordaccess.intake.formwalk import Unexpected, address, answers
from recordaccess.intake.models import AccessRequest
from recordaccess.intake.security import client_key
from recordaccess.outreach.models import DirectMessage, OutboxItem, SendAllowance
from recordaccess.patients.models import Patient
from recordaccess.practices.selectors import practice_by_ods
from recordaccess.practices.services import create_practice

BENCH_ODS = "Z90005"


def _delete_what_holds_on_to(model, practice) -> None:
    """Rows of the apps above (a "no" becomes a decision and a reply, a question a question) that keep the
    benchmark's requests and patients from being deleted, found through the model's relations, not imported."""
    for relation in model._meta.related_objects:
        if relation.on_delete is PROTECT:
            relation.related_model.objects.filter(**{f"{relation.field.name}__practice": practice}).delete()


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Run:
    """What the browsers saw, shared between their threads."""

    def __init__(self, base: str, think: float, double_every: int, patients: int, deadline: float):
        self.base, self.think, self.double_every, self.deadline = base, think, double_every, deadline
        self.next_patient = itertools.count()
        self.patients = patients
        self.lock = threading.Lock()
        self.pages: list[float] = []
        self.submissions: list[float] = []
        self.assets: list[float] = []
        self.statuses: dict[int, int] = {}
        self.failures: list[str] = []
        self.shown: dict[int, list[str]] = {}  # patient → the references their browser(s) showed
        self.doubles: dict[int, str] = {}  # patient → "one session" or "two sessions"
        self.started = 0

    def take_patient(self) -> int | None:
        with self.lock:
            if time.monotonic() >= self.deadline:
                return None
            i = next(self.next_patient)
            if i >= self.patients:
                return None
            self.started += 1
            return i

    def request(self, session, method: str, url: str, timings: list, data=None) -> requests.Response:
        began = time.perf_counter()
        response = session.request(method, url, data=data, allow_redirects=False, timeout=60)
        elapsed = time.perf_counter() - began
        with self.lock:
            timings.append(elapsed)
            self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        if response.status_code >= 400:
            raise Unexpected(f"{method} {url}: {response.status_code}")
        return response

    def fetch(self, session, timings: list):
        """formwalk's fetch for this session, timing each request into `timings`."""

        def fetch(method: str, url: str, data=None, name=None) -> requests.Response:
            return self.request(session, method, url, self.assets if name == "asset" else timings, data)

        return fetch

    def session(self, i: int) -> requests.Session:
        session = requests.Session()
        session.headers["X-Forwarded-For"] = address(i)
        session.headers["User-Agent"] = "recordaccess bench_intake"
        return session

    def pause(self) -> None:
        if self.think:
            time.sleep(self.think)

    def open_start_page(self, session) -> None:
        formwalk.open_start_page(self.fetch(session, self.pages), self.base, BENCH_ODS)

    def walk(self, session, given: dict) -> str:
        """Answer every page; returns the CSRF token of the check page."""
        return formwalk.walk(self.fetch(session, self.pages), self.base, BENCH_ODS, given, self.pause)

    def send(self, session, token: str) -> str:
        """Send from the check page, as the button does; returns the reference the done page shows."""
        began = time.perf_counter()
        reference = formwalk.send(self.fetch(session, self.pages), self.base, BENCH_ODS, token)
        with self.lock:
            self.submissions.append(time.perf_counter() - began)
        return reference

    def together(self, sends: list) -> list[str]:
        """Send from each (session, token) at the same moment, as a double click or two tabs would."""
        start, shown, errors = threading.Barrier(len(sends)), [""] * len(sends), []

        def one(k: int, session, token: str) -> None:
            try:
                start.wait(timeout=60)
                shown[k] = self.send(session, token)
            except Exception as error:  # noqa: BLE001 - counted, and the run goes on
                errors.append(error)

        threads = [threading.Thread(target=one, args=(k, *pair)) for k, pair in enumerate(sends)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=180)
        if errors:
            raise errors[0]
        return shown

    def patient(self, i: int) -> None:
        given, session = answers(i), self.session(i)
        self.open_start_page(session)
        token = self.walk(session, given)
        self.pause()
        double = self.double_every and i % self.double_every == self.double_every - 1
        if not double:
            shown = [self.send(session, token)]
        elif (i // self.double_every) % 2 == 0:
            self.doubles[i] = "one session"
            twin = self.session(i)
            twin.cookies.update(session.cookies)
            shown = self.together([(session, token), (twin, token)])
        else:
            self.doubles[i] = "two sessions"
            other = self.session(i)
            other_token = self.walk(other, given)
            shown = self.together([(session, token), (other, other_token)])
        with self.lock:
            self.shown[i] = shown

    def browser(self) -> None:
        while (i := self.take_patient()) is not None:
            try:
                self.patient(i)
            except Exception as error:  # noqa: BLE001 - every failure is counted and reported
                with self.lock:
                    self.failures.append(f"patient {i}: {error}")


class Command(BaseCommand):
    help = "Benchmark a burst of patients through the online request form, page by page, as browsers would."

    def add_arguments(self, parser):
        parser.add_argument("--browsers", type=int, default=50, help="Simulated browsers at once.")
        parser.add_argument("--seconds", type=float, default=60, help="No new patient starts after this.")
        parser.add_argument(
            "--server",
            choices=["runserver", "gunicorn"],
            help="runserver (the default on SQLite) or gunicorn with 2 workers (the default on PostgreSQL).",
        )
        parser.add_argument(
            "--think",
            type=float,
            default=1.0,
            help="Seconds each patient pauses before answering a page (people take 5 to 30): 0 for a stress test.",
        )
        parser.add_argument(
            "--double-every", type=int, default=10, help="Every Nth patient sends twice at once."
        )
        parser.add_argument(
            "--patients", type=int, default=10_000, help="Registered patients of the practice."
        )
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, browsers, seconds, server, think, double_every, patients, as_json, **options):
        if browsers < 1 or seconds <= 0 or not 1 <= patients <= 200_000 or think < 0 or double_every < 0:
            raise CommandError(
                "--browsers and --seconds must be positive, --patients from 1 to 200,000, and --think and "
                "--double-every not negative."
            )
        server = server or ("gunicorn" if connection.vendor == "postgresql" else "runserver")
        say = (lambda *a: None) if as_json else self.stdout.write
        practice = self._empty_practice()
        say(f"Adding {patients:,} registered patients to the benchmark practice {BENCH_ODS}…")
        self._patients(practice, patients)
        port = self._free_port()
        base = f"http://127.0.0.1:{port}"
        say(f"Starting {server} and the worker on {base}…")
        processes = self._start(server, port)
        try:
            self._wait_until_up(base, processes)
            say(f"{browsers} browsers for {seconds:g} s…")
            run = Run(base, think, double_every, patients, time.monotonic() + seconds)
            began = time.perf_counter()
            threads = [threading.Thread(target=run.browser, daemon=True) for _ in range(browsers)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=max(0.0, seconds + 300 - (time.perf_counter() - began)))
            wall = time.perf_counter() - began
            if any(thread.is_alive() for thread in threads):
                run.failures.append("browsers still walking 300 s after the end: given up")
            acknowledged = self._wait_for_acknowledgements(practice, timeout=60)
        finally:
            log = self._stop(processes)
        result = self._result(run, practice, server, browsers, seconds, think, wall, acknowledged, log)
        self._empty_practice(run.started)
        if as_json:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(
            f"\n{result['patients_sent']:,} patients sent the form through {server} on {result['database']} with "
            f"{browsers} browsers in {wall:.1f} s ({result['page_requests']:,} page requests).\n"
            f"Page p50 {result['page_p50_s']:.3f} s, p95 {result['page_p95_s']:.3f} s, slowest "
            f"{result['page_max_s']:.3f} s; submission p95 {result['submission_p95_s']:.3f} s.\n"
            f"Server errors: {result['server_errors']}. Refused: {result['refused']}. Failed: {result['failed']}.\n"
            f"Stored: {result['stored']:,}, every reference once: {result['references_stored_once']}, lost: "
            f"{result['lost']}. Double sends joined: {result['doubles_joined']} of {result['doubles']}. "
            f"Acknowledged: {result['acknowledged']:,} ({result['acknowledged_twice']} twice).\n"
            f"Target (page p95 under 1 s, no server error, nothing lost or stored twice): "
            f"{'met' if result['target_met'] else 'NOT met'}."
        )

    def _result(self, run, practice, server, browsers, seconds, think, wall, acknowledged, log) -> dict:
        stored = list(AccessRequest.objects.filter(practice=practice).values("reference", "fingerprint"))
        by_reference = {row["reference"] for row in stored}
        fingerprints = [row["fingerprint"] for row in stored]
        shown = [ref.replace("-", "").lower() for refs in run.shown.values() for ref in refs]
        joined = sum(1 for i in run.doubles if i in run.shown and len(set(run.shown[i])) == 1)
        server_errors = sum(n for status, n in run.statuses.items() if status >= 500)
        result = {
            "database": connection.vendor,
            "server": server,
            "browsers": browsers,
            "seconds": seconds,
            "think_seconds": think,
            "wall_seconds": round(wall, 1),
            "load_average_1m": round(os.getloadavg()[0], 1),  # a shared machine's other work shows here
            "patients_started": run.started,
            "patients_sent": len(run.shown),
            "page_requests": len(run.pages),
            "page_p50_s": round(statistics.median(run.pages), 3) if run.pages else 0.0,
            "page_p95_s": round(percentile(run.pages, 0.95), 3),
            "page_max_s": round(max(run.pages, default=0.0), 3),
            "submission_p50_s": round(statistics.median(run.submissions), 3) if run.submissions else 0.0,
            "submission_p95_s": round(percentile(run.submissions, 0.95), 3),
            "asset_p95_s": round(percentile(run.assets, 0.95), 3),
            "statuses": {str(status): n for status, n in sorted(run.statuses.items())},
            "server_errors": server_errors,
            "server_tracebacks": log.count("Traceback (most recent call last)"),
            "refused": run.statuses.get(429, 0),
            "failed": len(run.failures),
            "failures_sample": run.failures[:5],
            "stored": len(stored),
            "references_stored_once": len(fingerprints) == len(set(fingerprints)) == len(run.shown),
            "duplicates": len(fingerprints) - len(set(fingerprints)),
            "lost": len(set(shown) - by_reference),
            "doubles": len(run.doubles),
            "doubles_joined": joined,
            "doubles_by_kind": {
                kind: sum(1 for k in run.doubles.values() if k == kind)
                for kind in ("one session", "two sessions")
            },
            "acknowledged": acknowledged["sent"],
            "acknowledged_twice": acknowledged["twice"],
        }
        result["target_met"] = (
            result["page_p95_s"] < 1.0
            and server_errors == 0
            and result["server_tracebacks"] == 0
            and result["failed"] == 0
            and result["lost"] == 0
            and result["duplicates"] == 0
            and joined == result["doubles"]
        )
        return result

    @staticmethod
    def _free_port() -> int:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return probe.getsockname()[1]

    @staticmethod
    def _start(server: str, port: int) -> list[subprocess.Popen]:
        environment = {**os.environ, "DATABASE_URL": database_url(), "TRUSTED_PROXIES": "127.0.0.1"}
        if server == "runserver":
            web = [sys.executable, "-m", "recordaccess", "runserver", f"127.0.0.1:{port}", "--noreload"]
        else:
            gunicorn = str(Path(sys.executable).with_name("gunicorn"))
            web = [gunicorn, "recordaccess.wsgi", "-b", f"127.0.0.1:{port}", "--workers", "2"]
        started = []
        for command in (web, [sys.executable, "-m", "recordaccess", "worker"]):
            # A file, not a pipe: a full pipe would stop the server. Read at the end for tracebacks.
            log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115
            process = subprocess.Popen(  # noqa: S603 - our own server and worker
                command,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            )
            process.log = log
            started.append(process)
        return started

    @staticmethod
    def _wait_until_up(base: str, processes: list, within: float = 120) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            for process in processes:
                if process.poll() is not None:
                    process.log.seek(0)
                    raise CommandError(f"{process.args[0]} stopped by itself: {process.log.read()[-2000:]}")
            try:  # the first page compiles the templates: on a busy machine, seconds
                requests.get(f"{base}/p/{BENCH_ODS}/", timeout=max(1.0, deadline - time.monotonic()))
                return
            except requests.RequestException:
                time.sleep(0.1)
        raise CommandError(f"The server did not answer within {within:g} s.")

    @staticmethod
    def _stop(processes: list) -> str:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, 15)
        logs = []
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait()
            process.log.seek(0)
            logs.append(process.log.read())
            process.log.close()
        return "\n".join(logs)

    @staticmethod
    def _wait_for_acknowledgements(practice, timeout: float) -> dict:
        """Wait (a while) for the worker to acknowledge every request stored; count what it sent."""
        expected = AccessRequest.objects.filter(practice=practice).count()
        deadline = time.monotonic() + timeout
        while True:
            references = list(
                OutboxItem.objects.filter(practice=practice).values_list("reference", flat=True)
            )
            if len(references) >= expected or time.monotonic() > deadline:
                return {"sent": len(set(references)), "twice": len(references) - len(set(references))}
            time.sleep(0.5)

    @staticmethod
    def _empty_practice(patients_started: int = 0):
        practice = practice_by_ods(BENCH_ODS) or create_practice(
            actor=Actor.system("command:bench_intake"),
            ods_code=BENCH_ODS,
            name="Benchmark practice",
            approach="opt_out",
            phone="0113 496 0000",
        )
        factory = RequestFactory()
        keys = [f"intake:submit:practice:{practice.pk}"] + [
            f"intake:submit:client:{client_key(factory.get('/', REMOTE_ADDR=address(i)))}"
            for i in range(patients_started)
        ]
        with transaction.atomic():
            OutboxItem.objects.filter(practice=practice).delete()
            DirectMessage.objects.filter(practice=practice).delete()
            _delete_what_holds_on_to(AccessRequest, practice)
            AccessRequest.objects.filter(practice=practice).delete()
            _delete_what_holds_on_to(Patient, practice)
            Patient.objects.filter(practice=practice)._raw_delete(connection.alias)
            for start in range(0, len(keys), 500):
                SendAllowance.objects.filter(key__in=keys[start : start + 500]).delete()
        return practice

    @staticmethod
    def _patients(practice, count: int) -> None:
        formwalk.add_registered_patients(practice, count)
