"""`recordaccess bench_faults [--json]`: faults during load, each injected in turn on the production shape, with
patients walking the online form all the while (issue 17, part 4).

1. Starts a redis-server of its own (port + 3, no persistence), a Notify stand-in in this process (port + 2) and
   the production shape (proving/shape.py: gunicorn on `--port`, two RQ workers) on this command's PostgreSQL
   database, with short leases and heartbeats so recovery is seen in seconds, not the production's minutes.
2. Light patient load: `--browsers` simulated patients walking the online form (bench_intake's walk) from start
   to end, a second's thought per page; a campaign of `--recipients` sent through Notify at a steady pace.
3. Faults, each in turn: Notify answering 500s, 429s, slowly, and losing answers; a worker killed (SIGKILL) in
   the middle of a batch and another started in its place (as the service manager would); Redis stopped for
   `--redis-down` seconds and started again, empty; the shared PostgreSQL restarted (only when no other database
   on it is busy, and never with `--no-postgres-restart`); the disk full while the worker writes a PDF of letters
   (a tmpfs of 16 KB mounted over the letters folder: the kernel answers ENOSPC), then given back.
4. For each: reported (/healthz, watched every half second, said so; the shape's logs name it), and recovered
   with no person (seconds from the fault's end until /healthz is well again and the work moves again).
5. Afterwards: every request a patient was shown a reference for stored exactly once; every acknowledgement
   and campaign message received by Notify exactly once (none never).
Prints figures in the report's shape: `{"figures": [{"name", "value", "unit", "target", "met"}, ...]}`.
"""

import collections
import datetime
import json
import os
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import requests
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection
from django.test.utils import override_settings

from recordaccess.intake.management.commands import bench_intake
from recordaccess.intake.models import AccessRequest
from recordaccess.outreach import localnotify
from recordaccess.outreach.management.commands import bench_campaign
from recordaccess.outreach.models import Campaign, CampaignStatus, DirectMessage, LetterPrint, PrintStatus
from recordaccess.outreach.services import (
    approve_campaign,
    create_campaign,
    outbox_letters,
    set_campaign_sending,
)
from recordaccess.patients.models import Cohort
from recordaccess.proving.faults import HealthWatch, OwnRedis, postgres_busy, problem_named, small_disk
from recordaccess.proving.report import figure
from recordaccess.proving.shape import ProductionShape

LETTERS_FOR_THE_DISK = 5  # their PDF is larger than the small disk's 16 KB
RECOVER_WITHIN = 90  # seconds: a fault not recovered from by then is reported as not recovered


class Command(BaseCommand):
    help = "Inject faults into the production shape under a light patient load; check each is reported and recovered."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8300, help="gunicorn; Notify on +2, Redis on +3.")
        parser.add_argument("--browsers", type=int, default=3)
        parser.add_argument("--recipients", type=int, default=3000)
        parser.add_argument(
            "--rate-per-minute", type=int, default=1800, help="The campaign's pace through Notify."
        )
        parser.add_argument("--redis-down", type=float, default=60, help="Seconds Redis stays stopped.")
        parser.add_argument(
            "--no-postgres-restart", action="store_true", help="Leave the shared PostgreSQL be."
        )
        parser.add_argument("--only", action="append", help="Only these faults (by name).")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(
        self,
        *args,
        port,
        browsers,
        recipients,
        rate_per_minute,
        redis_down,
        no_postgres_restart,
        only,
        as_json,
        **o,
    ):
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_faults runs the production shape: set DATABASE_URL to a PostgreSQL database."
            )
        self.say = (lambda *a: None) if as_json else self.stdout.write
        self._redis_down, self._no_postgres_restart = redis_down, no_postgres_restart
        call_command("migrate", "--noinput", verbosity=0)
        self.only = set(only or [])
        self.results: list[dict] = []
        folder = Path(tempfile.mkdtemp(prefix="bench-faults-"))
        intake_practice = bench_intake.Command._empty_practice()
        bench_intake.Command._patients(intake_practice, 2000)
        campaign_practice = bench_campaign.Command._empty_practice()
        self._campaign_patients(campaign_practice, recipients)
        environment = {
            "TRUSTED_PROXIES": "127.0.0.1",
            "WORKER_HEARTBEAT_SECONDS": "2",
            "SEND_STUCK_AFTER_SECONDS": "15",  # longer than Notify's timeout below: a slow answer is not a death
            "SEND_RETRY_BASE_SECONDS": "4",  # longer than the timeout, as the settings insist
            "NOTIFY_TIMEOUT_SECONDS": "3",
            "NOTIFY_RATE_PER_MINUTE": str(rate_per_minute),
            "NOTIFY_DAILY_SMS": str(10**9),
            "NOTIFY_DAILY_EMAIL": str(10**9),
            "NOTIFY_LIMITS_KEY": "bench-faults",
            "NOTIFY_LETTERS": "0",  # letters to the outbox, printed in-house: the PDF the disk fault needs
            "LETTER_PRINT_RETRY_SECONDS": "3",
            "LOG_LEVEL": "INFO",
        }
        self.redis = OwnRedis(port + 3, folder / "redis")
        with (
            self.redis,
            localnotify.FakeNotify(port=port + 2) as self.notify,
            ProductionShape(
                _database_url(),
                self.redis.url,
                port,
                workers=2,
                notify=self.notify.url,
                environment=environment,
                run_dir=folder / "shape",
            ) as self.shape,
            HealthWatch(self.shape.base_url) as self.health,
        ):
            self.say(f"Production shape on {self.shape.base_url}; logs in {self.shape.log_dir}")
            run = bench_intake.Run(self.shape.base_url, 1.0, 0, 2000, time.monotonic() + 3600)
            walkers = [threading.Thread(target=run.browser, daemon=True) for _ in range(browsers)]
            for walker in walkers:
                walker.start()
            try:
                campaign = self._start_campaign(campaign_practice)
                self._faults(campaign)
                self.say("Waiting for the campaign and the acknowledgements to finish…")
                complete = self._wait(lambda: _status(campaign) == CampaignStatus.COMPLETED, 300)
            finally:
                run.deadline = 0  # no new patient starts; those walking finish
                for walker in walkers:
                    walker.join(timeout=120)
            acknowledged = self._wait(lambda: _unsent_acknowledgements(intake_practice) == 0, 180)
            checks = self._exactly_once(run, intake_practice, campaign, complete, acknowledged)
            tracebacks = self.shape.tracebacks()
        result = {"figures": self._figures(checks, run, tracebacks)}
        bench_intake.Command._empty_practice(run.started)
        bench_campaign.Command._empty_practice()
        if as_json:
            self.stdout.write(json.dumps(result))
            return
        for f in result["figures"]:
            state = "met" if f["met"] else ("NOT met" if f["met"] is False else "")
            self.stdout.write(f"{f['name']}: {f['value']} {f['unit']} (target {f['target']}) {state}")

    # --- the faults -----------------------------------------------------------------------------------------
    def _faults(self, campaign) -> None:
        steps = [
            ("Notify answering 500s", lambda: self._notify_failures(500, "Internal server error")),
            ("Notify answering 429s", lambda: self._notify_failures(429, "RateLimitError")),
            ("Notify answering slowly", self._notify_slow),
            ("Notify losing answers", self._notify_losing),
            ("A worker killed mid-batch", self._kill_worker),
            ("Redis stopped", self._redis_stopped),
            ("PostgreSQL restarted", self._postgres_restarted),
            ("The disk full while writing PDFs", lambda: self._disk_full(campaign)),
        ]
        for name, step in steps:
            if self.only and not any(word.lower() in name.lower() for word in self.only):
                continue
            self.say(f"Fault: {name}…")
            began = time.monotonic()
            try:
                found = step()
            except Exception as error:  # noqa: BLE001 - one fault's failure is reported, the others still run
                found = {"ran": False, "why": f"{type(error).__name__}: {error}"}
            close_old_connections()
            found["name"], found["seconds_taken"] = name, round(time.monotonic() - began, 1)
            self.results.append(found)
            self.say(f"  {found}")

    def _progressing(self, after: float, within: float = RECOVER_WITHIN) -> float | None:
        """Seconds after `after` until Notify receives new messages again (the campaign moves)."""
        start = self.notify.received()
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.notify.received() > start + 5:
                return round(time.monotonic() - after, 1)
            time.sleep(0.2)
        return None

    def _sending_outcome(self, began: float, healed: float, report_within: float, logged: str) -> dict:
        """A Notify fault's outcome: "sending" named on /healthz within `report_within` s of its start (failing
        or lately recovered), the log saying `logged`, messages moving again, and /healthz well after it."""
        reported = (
            self.health.first(
                began, lambda s, b: problem_named(b, "sending", or_recovered=True), report_within
            )
            is not None
        )
        recovered = self._progressing(healed)
        well = self.health.first(
            healed, lambda s, b: s == 200 and not problem_named(b, "sending"), RECOVER_WITHIN
        )
        found = self._outcome(reported, self._logged(logged), recovered, well)
        found.update(moving_again_after_seconds=recovered, well_after_seconds=well)
        return found

    def _notify_failures(self, status: int, error: str) -> dict:
        began = time.monotonic()
        with self.notify.lock:
            self.notify.failures += [(status, localnotify._error(status, error, "Injected"))] * 40
        self._wait(lambda: not self.notify.failures, 60)
        healed = time.monotonic()
        return self._sending_outcome(began, healed, 20, "sending is failing")

    def _notify_slow(self) -> dict:
        began = time.monotonic()
        before = self.notify.received()
        self.notify.delay_seconds = 2.0  # under the client's 3 s timeout: answered, slowly
        time.sleep(10)
        slow_rate = (self.notify.received() - before) / 10
        self.notify.delay_seconds = 5.0  # past it: the client gives up, the answer is lost to it
        time.sleep(12)
        self.notify.delay_seconds = 0.0
        healed = time.monotonic()
        found = self._sending_outcome(began, healed, 5, "sending is failing")
        found["messages_per_s_while_slow"] = round(slow_rate, 1)
        return found

    def _notify_losing(self) -> dict:
        began = time.monotonic()
        for how in ("502", "reset", "timeout"):
            self.notify.lose_next(10, how)
        self._wait(lambda: not self.notify.losses, 90)
        healed = time.monotonic()
        return self._sending_outcome(began, healed, 5, "answer was lost")

    def _kill_worker(self) -> dict:
        # In the middle of a batch: Notify has just received a message, so a sender holds claimed messages.
        start = self.notify.received()
        self._wait(lambda: self.notify.received() > start, 30)
        began = time.monotonic()
        victim = self.shape.workers[0]
        self.shape.kill(victim, signal.SIGKILL)
        self.shape.start_worker()  # the service manager's part (systemd's Restart=always): no person
        healed = time.monotonic()
        reported = (
            self.health.first(began, lambda s, b: b.get("worker", {}).get("alive", 2) < 3, 5) is not None
        )  # the killed worker's heartbeat stops: "alive" counts 2 of 3 names until its row is stale
        recovered = self._progressing(healed)
        well = self.health.first(
            healed, lambda s, b: s == 200 and b.get("worker", {}).get("alive", 0) >= 2, 60
        )
        return self._outcome(
            reported,
            True,
            recovered,
            well,
            log_note="the killed worker writes nothing; its "
            "replacement's heartbeat and the campaign's lease show it",
        )

    def _redis_stopped(self) -> dict:
        began = time.monotonic()
        self.redis.stop()
        reported = self.health.first(began, lambda s, b: b.get("queue") == "down", 20) is not None
        served = self._patient_pages_during(self._redis_down)
        self.redis.start()
        healed = time.monotonic()
        well = self.health.first(healed, lambda s, b: s == 200 and b.get("queue") == "ok", RECOVER_WITHIN)
        recovered = (
            self._progressing(healed, RECOVER_WITHIN) if _status(self.campaign) != "completed" else well
        )
        found = self._outcome(
            reported, self._logged("Redis") or self._logged("Connection refused"), recovered, well
        )
        found["patient_pages_while_down"] = served
        return found

    def _postgres_restarted(self) -> dict:
        if self._no_postgres_restart:
            return {"ran": False, "why": "--no-postgres-restart: the shared PostgreSQL was left running"}
        busy = postgres_busy(_database_url(), connection.settings_dict["NAME"])
        if busy:
            return {
                "ran": False,
                "why": f"not restarted: the shared PostgreSQL had {busy} connections to other databases "
                "(another session's work), which a restart would cut",
            }
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        connection.close()
        began = time.monotonic()
        subprocess.run(  # noqa: S603 - the machine's PostgreSQL: downtime kept to the restart itself
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart", "-m", "fast"],  # noqa: S607
            check=True,
            capture_output=True,
            timeout=120,
        )
        healed = time.monotonic()
        reported = (
            self.health.first(began - 1, lambda s, b: s != 200 or b.get("database") == "down", 5) is not None
        )
        well = self.health.first(healed, lambda s, b: s == 200, RECOVER_WITHIN)
        found = self._outcome(
            reported, self._logged("OperationalError") or self._logged("terminating"), well, well
        )
        found["down_seconds"] = round(healed - began, 1)
        return found

    def _disk_full(self, campaign) -> dict:
        letters = self.shape.run_dir / "var" / "letters"
        # Letters to print first: a print of none is a PDF small enough to fit the small disk, which then goes
        # with the disk when it is unmounted (no fault at all). The campaign reaches its letters as it sends.
        if not self._wait(lambda: outbox_letters(campaign).count() >= LETTERS_FOR_THE_DISK, 180):
            raise RuntimeError(
                f"the campaign put fewer than {LETTERS_FOR_THE_DISK} letters in the outbox in 180 s"
            )
        job = LetterPrint.objects.create(
            campaign=campaign,
            requested_by="bench_faults",
            total=0,
            retry_at=datetime.datetime.now(datetime.UTC),
        )
        with small_disk(letters):
            began = time.monotonic()
            put_off = self._wait(
                lambda: (
                    LetterPrint.objects.filter(pk=job.pk, status=PrintStatus.QUEUED)
                    .exclude(error="")
                    .exists()
                ),
                60,
            )
            reported = (
                self.health.first(began, lambda s, b: problem_named(b, "disk", or_recovered=True), 20)
                is not None
            )
            partial = [p.name for p in letters.glob("*.partial")]
            time.sleep(3)
        healed = time.monotonic()  # unmounted: the disk has room again
        done = self._wait(lambda: LetterPrint.objects.filter(pk=job.pk, status=PrintStatus.DONE).exists(), 90)
        recovered = round(time.monotonic() - healed, 1) if done else None
        job.refresh_from_db()
        if done and not put_off:
            raise RuntimeError(
                f"the print of {job.total} letters fitted the small disk: no fault was injected"
            )
        pdf = Path(job.path).read_bytes() if done else b""
        well = self.health.first(healed, lambda s, b: s == 200 and not problem_named(b, "disk"), 30)
        found = self._outcome(reported and put_off, self._logged("No space left on device"), recovered, well)
        found.update(
            partial_files_left=len(partial),
            pdf_whole=pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF"),
            letters=job.total,
        )
        return found

    # --- helpers --------------------------------------------------------------------------------------------
    def _outcome(self, reported, logged, recovered, well, log_note="") -> dict:
        seconds = max(recovered or 0, well or 0) if recovered is not None and well is not None else None
        found = {
            "ran": True,
            "reported": bool(reported),
            "logged": bool(logged),
            "recovered_seconds": seconds,
        }
        if log_note:
            found["log_note"] = log_note
        return found

    def _logged(self, words: str) -> bool:
        return any(words in self.shape.log(name) for name in self.shape.logs)

    def _patient_pages_during(self, seconds: float) -> dict:
        """Ask for the start page of the online form through the outage: how many answered 200."""
        answered = collections.Counter()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                answered[
                    requests.get(f"{self.shape.base_url}/p/{bench_intake.BENCH_ODS}/", timeout=10).status_code
                ] += 1
            except requests.RequestException:
                answered["no answer"] += 1
            time.sleep(1)
        return dict(answered)

    @staticmethod
    def _wait(condition, within: float) -> bool:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            try:
                if condition():
                    return True
            except Exception:  # noqa: BLE001 - the database may be restarting: ask again
                close_old_connections()
            time.sleep(0.5)
        return False

    def _campaign_patients(self, practice, count: int) -> None:
        bench_campaign.Command._patients(practice, count)
        # One in a hundred has only a postal address: their letters go to the outbox, for the disk fault's PDF.
        from recordaccess.patients.models import Patient

        ids = list(
            Patient.objects.filter(practice=practice).order_by("pk").values_list("pk", flat=True)[::100]
        )
        Patient.objects.filter(pk__in=ids).update(mobile="", email="")

    def _start_campaign(self, practice):
        from recordaccess.outreach.models import MessageTemplate
        from recordaccess.outreach.services import approve_template

        templates = bench_campaign.Command._templates(practice)
        letter = MessageTemplate.objects.filter(
            practice=practice, channel="letter", purpose="announcement", higher_risk=False
        ).first()
        if letter:
            templates["letter"] = approve_template(
                actor=bench_campaign.AUTHOR, practice=practice, template_id=letter.pk
            )
        cohort = Cohort.objects.create(
            practice=practice, name="Everyone", filters={}, created_by="bench_faults"
        )
        campaign = create_campaign(
            actor=bench_campaign.AUTHOR,
            practice=practice,
            name="Faults",
            cohort=cohort,
            templates=templates,
            skip_told_within_days=0,
        )
        Campaign.objects.filter(pk=campaign.pk).update(
            window_start=datetime.time(0, 0), window_end=datetime.time(23, 59, 59), send_on_sundays=True
        )
        approve_campaign(actor=bench_campaign.APPROVER, practice=practice, campaign_id=campaign.pk)
        # No sender queued from here (this process's task backend is not the shape's): the workers' heartbeat
        # starts SEND_WORKERS senders on a sending campaign that has none (resume_stalled_campaigns).
        with override_settings(SEND_WORKERS=0):
            set_campaign_sending(
                actor=bench_campaign.APPROVER, practice=practice, campaign_id=campaign.pk, sending=True
            )
        self.campaign = campaign
        self._wait(lambda: self.notify.received() > 50, 120)
        return campaign

    def _exactly_once(self, run, practice, campaign, complete: bool, acknowledged: bool) -> dict:
        close_old_connections()
        received = collections.Counter(self.notify.sent_references())
        shown = {ref.replace("-", "").lower() for refs in run.shown.values() for ref in refs}
        stored = list(AccessRequest.objects.filter(practice=practice).values_list("reference", "fingerprint"))
        fingerprints = collections.Counter(f for _, f in stored)
        acknowledgements = set(
            DirectMessage.objects.filter(practice=practice).values_list("reference", flat=True)
        )
        messages = set(campaign.messages.exclude(channel="letter").values_list("reference", flat=True))
        return {
            "accepted": len(shown),
            "accepted_lost": len(shown - {r.lower() for r, _ in stored}),
            "stored_twice": sum(n - 1 for n in fingerprints.values() if n > 1),
            "acknowledgements": len(acknowledgements),
            "acknowledgements_twice": sum(received[r] - 1 for r in acknowledgements if received[r] > 1),
            "acknowledgements_never": sum(1 for r in acknowledgements if not received[r]),
            "messages": len(messages),
            "messages_twice": sum(received[r] - 1 for r in messages if received[r] > 1),
            "messages_never": sum(1 for r in messages if not received[r]),
            "campaign_complete": complete,
            "acknowledged_all": acknowledged,
            "patient_failures": len(run.failures),
            "patient_failures_sample": run.failures[:3],
        }

    def _figures(self, checks: dict, run, tracebacks: int) -> list[dict]:
        figures = []
        for found in self.results:
            name = f"Fault: {found['name']}: recovered without a person"
            if not found.get("ran"):
                figures.append(
                    figure(name, None, "s", RECOVER_WITHIN, step="faults", reason=found.get("why", ""))
                )
                continue
            seconds = found["recovered_seconds"]
            f = figure(
                name,
                seconds,
                "s",
                RECOVER_WITHIN,
                step="faults",
                reason="" if seconds is not None else f"not recovered within {RECOVER_WITHIN} s",
                note=", ".join(
                    f"{key.replace('_', ' ')}: {value}"
                    for key, value in found.items()
                    if key not in ("name", "ran", "recovered_seconds")
                ),
            )
            f["met"] = bool(f["met"]) and found["reported"] and found["logged"]
            f["reported"], f["logged"] = found["reported"], found["logged"]
            figures.append(f)
        ran = [f for f in self.results if f.get("ran")]
        missed = [f for f in figures if f["name"].startswith("Fault: ") and not f["met"]]
        total = figure(
            "Faults recovered from without a person",
            len(self.results) - len(missed),
            "faults",
            len(self.results),
            better="higher",
            step="faults",
            note=f"{len(ran)} of {len(self.results)} injected",
        )
        if missed:  # which, and why each (the report shows it beside the figure)
            total["why"] = "; ".join(
                f"{f['name'].removeprefix('Fault: ').removesuffix(': recovered without a person')}: "
                + (
                    f.get("reason")
                    or ("not reported on /healthz" if not f.get("reported") else "not in the logs")
                )
                for f in missed
            )
        figures.append(total)
        for key, label in (
            ("accepted_lost", "Requests accepted during the faults and not stored"),
            ("stored_twice", "Requests stored twice"),
            ("acknowledgements_twice", "Acknowledgements sent twice"),
            ("acknowledgements_never", "Acknowledgements never sent"),
            ("messages_twice", "Campaign messages sent twice"),
            ("messages_never", "Campaign messages never sent"),
        ):
            figures.append(
                figure(
                    f"Faults: {label}",
                    checks[key],
                    "",
                    0,
                    step="faults",
                    note=f"of {checks['accepted']} requests accepted, {checks['acknowledgements']} acknowledgements, "
                    f"{checks['messages']} texts and emails",
                )
            )
        figures.append(
            figure(
                "Faults: patients whose walk through the form failed",
                len(run.failures),
                "patients",
                None,
                step="faults",
                note=f"of {run.started} started; a page refused while PostgreSQL restarts is expected. "
                f"{tracebacks} tracebacks in the shape's logs. " + "; ".join(run.failures[:2]),
            )
        )
        return figures


def _database_url() -> str:
    from recordaccess.core.processes import database_url

    return database_url()


def _status(campaign) -> str:
    return Campaign.objects.filter(pk=campaign.pk).values_list("status", flat=True).get()


def _unsent_acknowledgements(practice) -> int:
    return DirectMessage.objects.filter(practice=practice).exclude(status="sent").count()
