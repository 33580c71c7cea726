"""The load run (issue 17): patients submitting requests and checking their progress while staff work the waiting
list and a 100,000-recipient campaign sends, against the production shape on this machine, with locust (headless,
bounded in time) as the load generator. `recordaccess bench_load` runs it and prints its figures.

1. The load practice (LOAD_ODS) is emptied and filled: N registered patients (the simulated patients of
   recordaccess/intake/formwalk.py, each with a mobile number), a waiting list of open requests, and members of
   staff each with a password and an authenticator (TOTP) key the run knows. Not timed.
2. The production shape starts (shape.py): gunicorn with deploy/gunicorn.conf.py, RQ workers, a Notify stand-in,
   RECORDACCESS_ENV=production over local HTTP. Its front server is taken to be 127.0.0.1 (TRUSTED_PROXIES), so
   each simulated patient's X-Forwarded-For counts as its own address. Notify's real rate limit applies (3,000 a
   minute), shared by the campaign and the acknowledgements, as in a real deployment.
3. A campaign to every registered patient is written, approved by a second administrator and set sending.
4. The floor: locust's TrivialUser asks for /robots.txt (no database, no template) with as many users as patients,
   without pauses, for a short while: the rate the stack serves when the page costs nothing.
5. The load: PatientUser × N at once and StaffUser × S for the run's seconds; locust stops them after it, letting
   each finish the patient in hand.
5a. The pages' floor: the next N patients walk the form without pausing, for as long as the trivial view was
   asked for: the most pages a second the stack serves, set beside the trivial view's most (the target's ratio).
   The rate during the load is reported too; it is what N patients pausing between pages ask for, not a limit.
6. Afterwards: the campaign is paused, the workers restarted with Notify's rate limit lifted (so 100,000 messages
   finish in minutes, not half an hour) and resumed; the run waits (bounded) for it and every acknowledgement.
   Then every reference a patient was shown is looked up (stored once, none lost), and the Notify stand-in's
   record is compared with the database: every acknowledgement and every campaign message received exactly once.
"""

import collections
import contextlib
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import PROTECT
from django.test import RequestFactory
from django.test.utils import override_settings
from tqdm import tqdm

from recordaccess.audit.services import Actor
from recordaccess.core.processes import database_url
from recordaccess.intake import formwalk
from recordaccess.intake.models import AccessRequest
from recordaccess.intake.security import client_key
from recordaccess.outreach.management.commands.bench_campaign import Command as CampaignBench
from recordaccess.outreach.management.commands.bench_campaign import approved_campaign
from recordaccess.outreach.models import (
    Campaign,
    CampaignStatus,
    DirectMessage,
    DirectStatus,
    Message,
    MessageStatus,
    MessageTemplate,
    OutboxItem,
    PatientReply,
    SendAllowance,
)
from recordaccess.outreach.services import set_campaign_sending
from recordaccess.patients.models import Cohort, Flag, Patient
from recordaccess.practices.bench import ready_practice
from recordaccess.practices.models import Membership, StaffUser
from recordaccess.practices.roles import Role
from recordaccess.proving.shape import ProductionShape
from recordaccess.review.management.commands.bench_waitinglist import Command as WaitingListBench

LOAD_ODS = "Z90010"
LIMITS_KEY = "proving-load"  # the run's own Notify allowances (rate and daily), emptied before each run
STAFF_PREFIX = "load-staff-"
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
AUTHOR, APPROVER = Actor.system("load-author"), Actor.system("load-approver")
RQ_TASKS = {"default": {"BACKEND": "recordaccess.tasks.RQBackend", "QUEUES": ["default"]}}
SENT = (MessageStatus.SENT, MessageStatus.DELIVERED)


@dataclass
class Options:
    patients_at_once: int = 50
    staff: int = 5
    seconds: float = 180
    floor_seconds: float = 20
    think: float = 0.5
    registered: int = 100_000
    waiting: int = 10_000
    campaign: bool = True
    port: int = 8200
    notify_port: int | None = None  # the port after gunicorn's by default
    workers: int = 2
    web_workers: int | None = None
    web_threads: int | None = None
    notify_rate_per_minute: int = 3000
    finish_within: float = 900
    redis_url: str = "redis://127.0.0.1:6379/2"
    run_dir: Path | None = None
    quiet: bool = False


@dataclass
class Figure:
    name: str
    value: float | int
    unit: str
    target: str | None = None  # e.g. "< 300", ">= 15000", "0"; None: reported, no target
    met: bool | None = None
    why: str = ""  # for a target not met: what the run saw that explains it

    def as_dict(self) -> dict:
        found = {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "target": self.target,
            "met": self.met,
        }
        if self.why and self.met is False:
            found["why"] = self.why
        return found


@dataclass
class Result:
    figures: list[Figure] = field(default_factory=list)
    details: dict = field(default_factory=dict)

    def add(self, name, value, unit, target=None, met=None, why: str = "") -> None:
        self.figures.append(Figure(name, value, unit, target, met, why))


# --- where the processor went ------------------------------------------------------------------------------------
def _tree_seconds(pid: int | None) -> float:
    """Processor seconds of a process and all its children: those running, and those ended and reaped (counted in
    the parent's children_user), so a gunicorn process restarted after max_requests is not lost."""
    if pid is None:
        return 0.0
    try:
        process = psutil.Process(pid)
        own = process.cpu_times()
        total = own.user + own.system + own.children_user + own.children_system
        for child in process.children(recursive=True):
            with contextlib.suppress(psutil.NoSuchProcess):
                times = child.cpu_times()
                total += times.user + times.system
        return total
    except psutil.NoSuchProcess:
        return 0.0


def _postmasters() -> list[int]:
    found = []
    for process in psutil.process_iter(["name", "ppid"]):
        with contextlib.suppress(psutil.NoSuchProcess):
            if (
                process.info["name"] == "postgres"
                and psutil.Process(process.info["ppid"]).name() != "postgres"
            ):
                found.append(process.pid)
    return found


def processor_snapshot(shape) -> dict[str, float]:
    """Processor seconds so far: each part of the shape, PostgreSQL (the whole server), and the machine."""
    parts = {
        "the web server": [shape.web],
        "the RQ workers": list(shape.workers),
        "the Notify stand-in": [shape.notify_process],
    }
    found = {
        name: sum(_tree_seconds(p.pid) for p in processes if p is not None)
        for name, processes in parts.items()
    }
    found["PostgreSQL"] = sum(_tree_seconds(pid) for pid in _postmasters())
    times = psutil.cpu_times()
    found["machine"] = sum(times)
    found["machine busy"] = found["machine"] - times.idle - getattr(times, "iowait", 0.0)
    return found


def processor_use(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """Each part's share of the machine's processor between two snapshots, in percent; `rest` is the load
    generator and anything else running."""
    spent = {name: after[name] - before[name] for name in after}
    whole = spent.pop("machine") or 1.0
    busy = spent.pop("machine busy")
    use = {name: round(100 * seconds / whole, 1) for name, seconds in spent.items()}
    use["the load generator and the rest"] = round(max(0.0, 100 * busy / whole - sum(use.values())), 1)
    use["busy"] = round(100 * busy / whole, 1)
    use["web seconds"] = round(spent["the web server"], 2)
    return use


def said(use: dict[str, float]) -> str:
    parts = [f"{name} {use[name]:g}%" for name in use if name not in ("busy", "web seconds")]
    return f"the {psutil.cpu_count()} cores were {use['busy']:g}% busy ({', '.join(parts)})"


def percentile(values: list[float], share: float) -> float:
    """Nearest rank."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# --- the practice ----------------------------------------------------------------------------------------------
def _delete_what_holds_on_to(model, practice) -> None:
    """Rows of the apps above that keep the practice's requests and patients from being deleted (PROTECT)."""
    for relation in model._meta.related_objects:
        if relation.on_delete is PROTECT:
            relation.related_model.objects.filter(**{f"{relation.field.name}__practice": practice}).delete()


WARM_UP_BROWSERS = 4
ARRIVING = 10.0  # seconds over which the load's patients and staff arrive


def allowance_keys(practice, patients: int, registered: int) -> list[str]:
    """The hourly allowances the run's patients take: the practice's, and each simulated address's (the first
    `patients`, and the warm-up's at the end of the register)."""
    factory = RequestFactory()
    keys = [f"intake:submit:practice:{practice.pk}"]
    warm_up = range(max(0, registered - WARM_UP_BROWSERS), registered)
    for i in sorted(set(range(patients)) | set(warm_up)):
        client = client_key(factory.get("/", REMOTE_ADDR=formwalk.address(i)))
        keys += [f"intake:submit:client:{client}", f"intake:status:client:{client}"]
    return keys


def empty_practice(practice, patients_started: int, registered: int) -> None:
    keys = allowance_keys(practice, patients_started, registered)
    with transaction.atomic():
        PatientReply.objects.filter(practice=practice).delete()
        for campaign in Campaign.objects.filter(practice=practice):
            campaign.prints.all().delete()
            OutboxItem.objects.filter(message__campaign=campaign).delete()
            Message.objects.filter(campaign=campaign)._raw_delete(connection.alias)
            campaign.delete()
        Cohort.objects.filter(practice=practice).delete()
        MessageTemplate.objects.filter(practice=practice).delete()
        OutboxItem.objects.filter(practice=practice).delete()
        DirectMessage.objects.filter(practice=practice).delete()
        _delete_what_holds_on_to(AccessRequest, practice)
        AccessRequest.objects.filter(practice=practice).delete()
        _delete_what_holds_on_to(Patient, practice)
        Flag.objects.filter(patient__practice=practice).delete()
        Patient.objects.filter(practice=practice)._raw_delete(connection.alias)
        StaffUser.objects.filter(username__startswith=STAFF_PREFIX).delete()
        SendAllowance.objects.filter(key__startswith=LIMITS_KEY).delete()
        for start in range(0, len(keys), 500):
            SendAllowance.objects.filter(key__in=keys[start : start + 500]).delete()


def load_practice():
    return ready_practice(
        LOAD_ODS, "Load-run practice", command="bench_load", dpia_reference="LOAD-DPIA", phone="0113 496 0000"
    )


def add_staff(practice, count: int) -> list[dict]:
    """Members of reception, each with a password and a confirmed authenticator whose key the run knows."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    accounts = []
    for k in range(count):
        password, key = secrets.token_urlsafe(18), secrets.token_hex(20)
        user = StaffUser.objects.create(username=f"{STAFF_PREFIX}{k}", full_name=f"Load staff {k}")
        user.set_password(password)
        user.save(update_fields=["password"])
        Membership.objects.create(user=user, practice=practice, role=Role.RECEPTION)
        TOTPDevice.objects.create(user=user, name="load run", key=key, confirmed=True)
        accounts.append({"username": user.username, "password": password, "key": key})
    return accounts


def queue_campaign(practice, redis_url: str):
    """A campaign to every registered patient, written, approved by a second administrator and set sending, its
    senders queued on the shape's Redis."""
    templates = CampaignBench._templates(practice)
    cohort = Cohort.objects.create(practice=practice, name="Everyone", filters={}, created_by=AUTHOR.name)
    campaign = approved_campaign(practice, "Load run", cohort, templates, author=AUTHOR, approver=APPROVER)
    set_sending(practice, campaign, redis_url, sending=True)
    return campaign


def set_sending(practice, campaign, redis_url: str, *, sending: bool) -> None:
    """Pause or resume, queuing any sender on the shape's Redis whatever this process's own backend is."""
    queues = {"default": {"URL": redis_url, "DEFAULT_TIMEOUT": 3600}}
    with override_settings(TASKS=RQ_TASKS, TASKS_BACKEND="rq", RQ_QUEUES=queues):
        set_campaign_sending(actor=APPROVER, practice=practice, campaign_id=campaign.pk, sending=sending)


# --- the run ---------------------------------------------------------------------------------------------------
class LoadRun:
    def __init__(self, options: Options, say=print):
        self.options = options
        self.phases: dict[str, float] = {}  # seconds each step took, from the start
        self._began = time.perf_counter()

        def say_and_time(message: str) -> None:
            self.phases[message.split(":")[0][:40]] = round(time.perf_counter() - self._began, 1)
            say(message)

        self.say = say_and_time
        self.run_dir = Path(
            options.run_dir or settings.VAR_DIR / "proving" / f"load-{options.port}"
        ).resolve()
        self.run_dir.mkdir(parents=True, exist_ok=True)

    def run(self) -> Result:
        o, say = self.options, self.say
        call_command("migrate", "--noinput", verbosity=0)
        practice = load_practice()
        say(
            f"Emptying and filling the load practice {LOAD_ODS}: {o.registered:,} registered patients, "
            f"{o.waiting:,} open requests, {o.staff} members of staff…"
        )
        empty_practice(practice, min(o.registered, 20_000), o.registered)
        formwalk.add_registered_patients(practice, o.registered)
        if o.waiting:
            WaitingListBench._fill(practice, o.waiting)
        accounts = add_staff(practice, max(1, o.staff))
        with connection.cursor() as cursor:  # as autovacuum would leave tables after a bulk load
            for table in (Patient._meta.db_table, AccessRequest._meta.db_table):
                cursor.execute(f"{'VACUUM ' if connection.vendor == 'postgresql' else ''}ANALYZE {table}")
        baseline = (
            AccessRequest.objects.filter(practice=practice)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
        environment = {
            "TRUSTED_PROXIES": "127.0.0.1",
            "NOTIFY_LIMITS_KEY": LIMITS_KEY,
            "NOTIFY_RATE_PER_MINUTE": str(o.notify_rate_per_minute),
            "LOG_LEVEL": "WARNING",
        }
        shape = ProductionShape(
            database_url(),
            o.redis_url,
            o.port,
            notify_port=o.notify_port,
            migrate=False,  # done above, in this process
            workers=o.workers,
            web_workers=o.web_workers,
            web_threads=o.web_threads,
            environment=environment,
            run_dir=self.run_dir / "shape",
            # The run's own signing key; the audit key this process signs with, so the trail stays one chain.
            secrets_={"SECRET_KEY": secrets.token_urlsafe(50), "AUDIT_KEY": settings.AUDIT_KEY},
        )
        say(f"Starting the production shape on {shape.base_url} ({o.workers} RQ workers, Notify stand-in)…")
        result = Result()
        started_patients = 0
        with shape:
            campaign = None
            if o.campaign:
                say(f"Queuing a campaign to all {o.registered:,} registered patients (approved, sending)…")
                began = time.perf_counter()
                campaign = queue_campaign(practice, o.redis_url)
                result.details["campaign_build_seconds"] = round(time.perf_counter() - began, 2)
            self._warm_up(shape, o.registered)
            floor = self._locust(shape, "floor", ["TrivialUser"], o.patients_at_once, o.floor_seconds, {})
            sent_before = self._sent(campaign)
            load_env = {
                "LOAD_ODS": LOAD_ODS,
                "LOAD_FIRST_PATIENT": "0",
                "LOAD_REGISTERED": str(o.registered),
                "LOAD_THINK": str(o.think),
                "LOAD_PATIENTS_AT_ONCE": str(o.patients_at_once),
                "LOAD_STAFF": str(o.staff),
                "LOAD_STAFF_USERS": json.dumps(accounts),
            }
            users = ["PatientUser", *(["StaffUser"] if o.staff else [])]
            # People arrive over the first ARRIVING seconds, not all in the same instant (the figures are counted
            # once all are walking).
            load = self._locust(
                shape,
                "load",
                users,
                o.patients_at_once + o.staff,
                o.seconds,
                load_env,
                spawn_rate=(o.patients_at_once + o.staff) / min(ARRIVING, o.seconds / 4),
            )
            sent_during = self._sent(campaign) - sent_before
            load_average = os.getloadavg()
            started_patients = load["record"]["started"]
            # The pages' own floor: the same patients without pausing, as the trivial view was asked for, so the
            # two rates are each the most the stack serves (the next patients, so none submits twice).
            pages_env = {
                **load_env,
                "LOAD_THINK": "0",
                "LOAD_STAFF": "0",
                "LOAD_FIRST_PATIENT": str(started_patients),
            }
            pages = self._locust(
                shape, "pages", ["PatientUser"], o.patients_at_once, o.floor_seconds, pages_env
            )
            started_patients += pages["record"]["started"]
            finish = self._finish(shape, practice, campaign, baseline)
            references = shape.notify_references()
            self.say("Stopping the shape and checking…")
            tracebacks = shape.tracebacks()
            logs = {name: str(path) for name, path in shape.logs.items()}
        self._figures(
            result, floor, load, pages, sent_during, finish, references, practice, campaign, baseline
        )
        result.add("server tracebacks in the logs", tracebacks, "count", "0", tracebacks == 0)
        result.details.update(
            load_average=[round(x, 2) for x in load_average],
            logs=logs,
            database=connection.vendor,
            options={k: (str(v) if isinstance(v, Path) else v) for k, v in vars(o).items()},
        )
        empty_practice(practice, started_patients, o.registered)  # the next run starts clean; its rows go
        return result

    def _warm_up(self, shape, registered: int) -> None:
        """Each gunicorn process compiles its templates on first use, as a server does in its first minute: a
        few browsers walk the form (without sending) and ask for the trivial view first, untimed."""
        began = time.perf_counter()
        errors = []

        def browse(k: int) -> None:
            session = requests.Session()
            session.headers["X-Forwarded-For"] = formwalk.address(registered - 1 - k)

            def fetch(method, url, data=None, name=None):
                response = session.request(method, url, data=data, allow_redirects=False, timeout=120)
                if response.status_code >= 400:
                    raise formwalk.Unexpected(f"warm-up {method} {url}: {response.status_code}")
                return response

            try:
                fetch("GET", f"{shape.base_url}/robots.txt")
                formwalk.walk(fetch, shape.base_url, LOAD_ODS, formwalk.answers(registered - 1 - k))
                fetch("GET", f"{shape.base_url}/p/{LOAD_ODS}/request/progress/")
            except (formwalk.Unexpected, requests.RequestException) as error:
                errors.append(error)

        threads = [threading.Thread(target=browse, args=(k,)) for k in range(WARM_UP_BROWSERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        if errors:
            raise RuntimeError(f"The warm-up failed: {errors[0]}")
        self.warm_up_seconds = round(time.perf_counter() - began, 1)

    # --- locust ------------------------------------------------------------------------------------------------
    def _locust(
        self,
        shape,
        phase: str,
        users: list[str],
        count: int,
        seconds: float,
        extra: dict,
        spawn_rate: float = 0,
    ) -> dict:
        record_path = self.run_dir / f"{phase}.json"
        record_path.unlink(missing_ok=True)
        log = self.run_dir / f"locust-{phase}.log"
        env = {**os.environ, **extra, "LOAD_RECORD": str(record_path), "PYTHONUNBUFFERED": "1"}
        command = [
            str(Path(sys.executable).with_name("locust")),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--host",
            shape.base_url,
            "-u",
            str(count),
            "-r",
            str(spawn_rate or count),  # a second each, or all at once (within a second)
            "--run-time",
            f"{max(1, round(seconds))}s",
            "--stop-timeout",
            "90",  # each patient in hand finishes its submission
            "--only-summary",
            "--csv",
            str(self.run_dir / phase),
            "--loglevel",
            "WARNING",
            *users,
        ]
        self.say(f"{phase}: {', '.join(users)} × {count} for {seconds:g} s…")
        began = time.time()
        before = processor_snapshot(shape)
        with log.open("w") as out:
            process = subprocess.Popen(  # noqa: S603 - our own locustfile
                command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
            bar = tqdm(
                total=round(seconds),
                unit="s",
                desc=phase,
                disable=self.options.quiet or not sys.stderr.isatty(),
            )
            try:
                while process.poll() is None:
                    time.sleep(1)
                    bar.update(min(round(seconds), round(time.time() - began)) - bar.n)
                    if time.time() - began > seconds + 300:
                        os.killpg(process.pid, signal.SIGTERM)
            finally:
                bar.close()
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        use = processor_use(before, processor_snapshot(shape))
        if not record_path.exists():
            raise RuntimeError(f"locust wrote no record ({log}): {log.read_text()[-2000:]}")
        record = json.loads(record_path.read_text())
        return {
            "record": record,
            "began": began,
            "seconds": seconds,
            "exit": process.returncode,
            "log": str(log),
            "use": use,
        }

    # --- afterwards ----------------------------------------------------------------------------------------------
    @staticmethod
    def _sent(campaign) -> int:
        if campaign is None:
            return 0
        return Message.objects.filter(campaign=campaign, status__in=SENT).count()

    def _finish(self, shape, practice, campaign, baseline) -> dict:
        """Let the campaign and every acknowledgement finish (bounded), with Notify's rate lifted."""
        o = self.options
        began = time.perf_counter()
        if campaign is not None:
            campaign.refresh_from_db()
            if campaign.status == CampaignStatus.SENDING:
                set_sending(practice, campaign, o.redis_url, sending=False)
        self.say("Restarting the workers with Notify's rate limit lifted, to finish the campaign…")
        shape.restart_workers({"NOTIFY_RATE_PER_MINUTE": str(10**9)})
        if campaign is not None:
            campaign.refresh_from_db()
            if campaign.status == CampaignStatus.PAUSED:
                set_sending(practice, campaign, o.redis_url, sending=True)
        total = campaign.messages.count() if campaign is not None else 0
        bar = tqdm(total=total, unit=" msg", desc="campaign", disable=o.quiet or not sys.stderr.isatty())
        new = AccessRequest.objects.filter(practice=practice, pk__gt=baseline or 0)
        acks = {
            f"ACK-{r}"
            for r in new.filter(contact_by="sms").exclude(mobile="").values_list("reference", flat=True)
        }
        done = False
        try:
            while time.perf_counter() - began < o.finish_within:
                bar.update(self._sent(campaign) - bar.n)
                complete = (
                    campaign is None
                    or Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.COMPLETED).exists()
                )
                waiting_acks = (
                    DirectMessage.objects.filter(
                        reference__in=acks, status__in=[DirectStatus.QUEUED, DirectStatus.SENDING]
                    ).count()
                    if acks
                    else 0
                )
                if complete and waiting_acks == 0:
                    done = True
                    break
                time.sleep(1)
        finally:
            bar.close()
        return {"seconds": round(time.perf_counter() - began, 1), "done": done, "acks": acks}

    def _steady_rate(self, phase: dict, kind: str) -> float:
        """A floor phase's rate of `kind` requests a second, its first seconds (a quarter, up to 5) left out."""
        times = [r[1] for r in phase["record"]["requests"] if r[0] == kind]
        began = min(times, default=0.0)
        steady, end = began + min(5.0, self.options.floor_seconds / 4), began + self.options.floor_seconds
        return round(sum(1 for at in times if steady <= at <= end) / (end - steady), 1)

    def _figures(
        self, result, floor, load, pages, sent_during, finish, references, practice, campaign, baseline
    ) -> None:
        o, record = self.options, load["record"]
        requests_ = record["requests"]
        start = min((r[1] for r in requests_), default=load["began"])
        # locust counts its run time from before its first request: the window ends when the last one began
        end = min(start + o.seconds, max((r[1] for r in requests_), default=start + o.seconds))
        # Rates are counted once every patient is walking: the first seconds (up to 30) are left out.
        steady = start + min(30.0, o.seconds / 4)
        by_kind = collections.defaultdict(list)
        statuses = collections.Counter()
        by_name = collections.defaultdict(list)
        for kind, at, ms, status, name in requests_:
            by_kind[kind].append((at, ms))
            by_name[f"{kind}: {name}"].append(ms)
            statuses[(kind, status)] += 1
        # Times are counted, as rates are, once everyone has arrived and is walking (from `steady`): the first
        # seconds' figures are kept in the details.
        patient_ms = [ms for at, ms in by_kind["patient"] if steady <= at <= end]
        staff_ms = [ms for at, ms in by_kind["staff"] if steady <= at <= end]
        arriving_ms = {
            kind: round(percentile([ms for at, ms in by_kind[kind] if at < steady], 0.95), 1)
            for kind in ("patient", "staff")
        }
        pages_in_window = sum(1 for at, _ in by_kind["patient"] if steady <= at <= end)
        failed_requests = sum(
            n
            for (kind, status), n in statuses.items()
            if kind != "trivial" and (status >= 400 or status == 0)
        )
        server_errors = sum(n for (kind, status), n in statuses.items() if status >= 500)
        walk_failures = len(record.get("walk_failures", []))
        completed = sum(1 for _, _, at in record["shown"] if steady <= at <= end)
        per_hour = round(completed / (end - steady) * 3600)
        shown = record["shown"] + pages["record"]["shown"]  # every reference a patient was shown, both phases
        pages_failed = sum(
            1 for r in pages["record"]["requests"] if r[0] != "asset" and (r[3] >= 400 or r[3] == 0)
        )
        failed_requests += pages_failed
        walk_failures += len(pages["record"].get("walk_failures", []))

        trivial_all = [r[1] for r in floor["record"]["requests"] if r[0] == "trivial"]
        trivial_rate = self._steady_rate(floor, "trivial")
        trivial_failed = sum(1 for r in floor["record"]["requests"] if r[3] >= 400 or r[3] == 0)
        page_rate = round(pages_in_window / (end - steady), 1)
        page_capacity = self._steady_rate(pages, "patient")
        ratio = round(page_capacity / trivial_rate, 2) if trivial_rate else 0.0

        # Why a speed target is missed, in the run's own figures: where the processor went, and what a request
        # cost the web server (its processor seconds over the requests it served in the phase).
        web_ms = {
            phase_name: 1000 * phase["use"]["web seconds"] / max(1, len(phase["record"]["requests"]))
            for phase_name, phase in (("load", load), ("floor", floor), ("pages", pages))
        }
        busy = (
            f"During the load {said(load['use'])}; a request took {web_ms['load']:.1f} ms of the web server's "
            "processor on average, so pages queued for the cores."
        )
        costs = (
            f"With nobody pausing, a patient's request took {web_ms['pages']:.1f} ms of the web server's processor "
            f"and the trivial view {web_ms['floor']:.1f} ms (at most about {web_ms['floor'] / max(web_ms['pages'], 0.01):.2f} "
            f"as many pages); {said(pages['use'])}."
        )
        p95, staff_p95 = percentile(patient_ms, 0.95), percentile(staff_ms, 0.95)
        result.add("patients at once", o.patients_at_once, "patients")
        result.add("patient page p50", round(statistics.median(patient_ms), 1) if patient_ms else 0, "ms")
        result.add("patient page p95", round(p95, 1), "ms", "< 300", bool(patient_ms) and p95 < 300, busy)
        errors = failed_requests + walk_failures
        failures = (record["failures"] + record.get("walk_failures", []) + pages["record"]["failures"])[:3]
        result.add(
            "errors (failed requests and walks)", errors, "count", "0", errors == 0, "; ".join(failures)
        )
        result.add("complete submissions an hour", per_hour, "per hour", ">= 15000", per_hour >= 15000, busy)
        result.add("patient page rate during the load", page_rate, "pages/s")
        result.add("patient page rate, patients not pausing", page_capacity, "pages/s")
        result.add("trivial view rate (floor, /robots.txt)", trivial_rate, "requests/s")
        result.add("page rate / trivial rate", ratio, "ratio", ">= 0.5", ratio >= 0.5, costs)
        result.add(
            "staff page p95", round(staff_p95, 1), "ms", "< 300", bool(staff_ms) and staff_p95 < 300, busy
        )
        result.add("campaign messages sent during the load", sent_during, "messages")

        # Every accepted submission stored exactly once.
        stored = list(
            AccessRequest.objects.filter(practice=practice, pk__gt=baseline or 0).values(
                "reference", "fingerprint"
            )
        )
        stored_refs = collections.Counter(row["reference"].upper() for row in stored)
        shown_refs = [ref.replace("-", "").upper() for _, ref, _ in shown]
        lost = len(set(shown_refs) - set(stored_refs))
        twice = sum(n - 1 for n in stored_refs.values() if n > 1) + (len(shown_refs) - len(set(shown_refs)))
        fingerprints = collections.Counter(row["fingerprint"] for row in stored)
        twice += sum(n - 1 for n in fingerprints.values() if n > 1)
        not_shown = len(set(stored_refs) - set(shown_refs))
        not_shown_sample = list(
            AccessRequest.objects.filter(
                practice=practice,
                pk__gt=baseline or 0,
                reference__in=[r.lower() for r in set(stored_refs) - set(shown_refs)][:5],
            ).values(
                "pk", "reference", "route", "status", "given_name", "family_name", "contact_by", "received_at"
            )
        )
        result.add(
            "submissions not stored exactly once",
            lost + twice,
            "count",
            "0",
            lost + twice == 0 and bool(shown),
            f"{lost} shown but not stored, {twice} stored twice"
            if shown
            else "no patient was shown a reference",
        )

        # Every acknowledgement and campaign message received by Notify exactly once.
        received = collections.Counter(references)
        acks = finish["acks"]
        ack_twice = sum(received[ref] - 1 for ref in acks if received[ref] > 1)
        ack_never = sum(1 for ref in acks if received[ref] == 0)
        result.add(
            "acknowledgements not sent exactly once",
            ack_twice + ack_never,
            "count",
            "0",
            ack_twice + ack_never == 0,
            f"{ack_twice} received twice, {ack_never} never received",
        )
        # A campaign that finished: every message received once. One still sending when the wait ran out: every
        # message the database calls sent received once, none received twice, none received that it does not
        # call sent (those being handed over at the end excepted: "sending").
        message_statuses = (
            dict(campaign.messages.values_list("reference", "status")) if campaign is not None else {}
        )
        campaign_refs = set(message_statuses)
        msg_twice = sum(received[ref] - 1 for ref in campaign_refs if received[ref] > 1)
        marked_sent = {ref for ref, status in message_statuses.items() if status in SENT}
        msg_never = sum(1 for ref in (campaign_refs if finish["done"] else marked_sent) if received[ref] == 0)
        msg_unmarked = sum(
            1
            for ref, status in message_statuses.items()
            if received[ref] and status not in SENT and status != "sending"
        )
        unexpected = sum(n for ref, n in received.items() if ref not in campaign_refs and ref not in acks)
        problems = msg_twice + msg_never + msg_unmarked + unexpected
        result.add(
            "campaign messages not sent exactly once",
            problems,
            "count",
            "0",
            problems == 0,
            f"{msg_twice} received twice, {msg_never} never received, {msg_unmarked} received but not marked sent, "
            f"{unexpected} unexpected",
        )
        result.add(
            "campaign sent by the end (of 100,000)"
            if len(campaign_refs) == 100_000
            else "campaign sent by the end",
            len(marked_sent),
            "messages",
        )
        result.details.update(
            run_seconds=o.seconds,
            patients_started=record["started"],
            submissions_completed=len(shown),
            submissions_in_window=completed,
            stored=len(stored),
            stored_not_shown=not_shown,
            stored_by_route=dict(
                collections.Counter(
                    AccessRequest.objects.filter(practice=practice, pk__gt=baseline or 0).values_list(
                        "route", flat=True
                    )
                )
            ),
            stored_not_shown_sample=[{k: str(v) for k, v in row.items()} for row in not_shown_sample],
            baseline_pk=baseline,
            lost=lost,
            stored_twice=twice,
            acknowledgements_expected=len(acks),
            acknowledgements_received_twice=ack_twice,
            acknowledgements_never_received=ack_never,
            campaign_recipients=len(campaign_refs),
            campaign_received_twice=msg_twice,
            campaign_never_received=msg_never,
            campaign_received_not_marked_sent=msg_unmarked,
            notify_unexpected=unexpected,
            finished_within=finish["seconds"],
            campaign_and_acknowledgements_finished=finish["done"],
            patient_requests=len(patient_ms),
            asset_requests=len(by_kind["asset"]),
            asset_p95_ms=round(percentile([ms for _, ms in by_kind["asset"]], 0.95), 1),
            staff_requests=len(staff_ms),
            staff_p50_ms=round(statistics.median(staff_ms), 1) if staff_ms else 0,
            trivial_requests=len(trivial_all),
            rates_counted_over_seconds=round(end - steady, 1),
            trivial_failed=trivial_failed,
            trivial_p95_ms=round(percentile([r[2] for r in floor["record"]["requests"]], 0.95), 1),
            statuses={f"{kind} {status}": n for (kind, status), n in sorted(statuses.items())},
            server_errors=server_errors,
            failures_sample=record["failures"][:10] + record.get("walk_failures", [])[:10],
            locust_logs=[floor["log"], load["log"], pages["log"]],
            pages_phase_requests=sum(1 for r in pages["record"]["requests"] if r[0] == "patient"),
            pages_phase_p95_ms=round(
                percentile([r[2] for r in pages["record"]["requests"] if r[0] == "patient"], 0.95), 1
            ),
            pages_phase_submissions=len(pages["record"]["shown"]),
            p95_ms_while_arriving=arriving_ms,
            processor_use={
                name: phase["use"] for name, phase in (("floor", floor), ("load", load), ("pages", pages))
            },
            web_processor_ms_a_request={name: round(ms, 2) for name, ms in web_ms.items()},
            requests_per_submission=round(len(patient_ms) / len(shown), 1) if shown else 0,
            staff_sign_in_p95_ms=round(percentile([ms for _, ms in by_kind["staff sign-in"]], 0.95), 1),
            p95_ms_by_page={name: round(percentile(ms, 0.95), 1) for name, ms in sorted(by_name.items())},
            warm_up_seconds=self.warm_up_seconds,
            phases_started_at_seconds=self.phases,
        )
