"""`recordaccess report [--out var/report] [sizes] [--only STEP ...] [--skip STEP ...]`: every benchmark, one report.

Runs each benchmark as a child process with --json, each on a fresh database of its own (a new SQLite file in a
temporary folder, migrated first; the production-shape runs, load and faults, on PostgreSQL as they start it),
prints which step is running, for how long and how long it is expected to take, and writes var/report/summary.json
and var/report/index.html (proving/report.py) with every figure, its target, whether it is met and, for timings,
the floor measured in the same run and the ratio to it. A benchmark that fails or runs past its time is reported
as not met with the reason, and the report is still written. `make report` starts PostgreSQL and Redis first.

The default sizes are the targets' own except the dashboard's ICB: 200 practices (the roll-up's width, as the
target) of 2,000 patients rather than 10,000, because filling and emptying 2,000,000 patients on this 2-core
machine takes 5 to 10 minutes alone; the figure's name says so. `--patients-per-practice 10000` runs it in full.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from recordaccess.proving import report

FLOOR_TEXTS = 20_000
STEPS = ("floors", "import", "campaign", "waiting list", "dashboard", "load", "faults")


class Command(BaseCommand):
    help = "Run every benchmark and write one report: var/report/index.html and var/report/summary.json."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(settings.VAR_DIR / "report"))
        parser.add_argument("--import-rows", type=int, default=1_000_000)
        parser.add_argument("--recipients", type=int, default=100_000)
        parser.add_argument("--requests", type=int, default=100_000)
        parser.add_argument("--practices", type=int, default=200)
        parser.add_argument("--patients-per-practice", type=int, default=2_000)
        parser.add_argument("--load-seconds", type=int, default=120, help="How long bench_load runs.")
        parser.add_argument(
            "--load-registered",
            type=int,
            default=100_000,
            help="bench_load's registered patients (its campaign).",
        )
        parser.add_argument(
            "--postgres",
            default=os.environ.get("REPORT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/report_bench"),
            help="The PostgreSQL database the production-shape runs (load, faults) may empty and use.",
        )
        parser.add_argument("--only", action="append", choices=STEPS, help="Run only these steps.")
        parser.add_argument("--skip", action="append", choices=STEPS, default=[], help="Leave these out.")
        parser.add_argument(
            "--timeout-factor", type=float, default=4.0, help="A step's time limit: × its estimate."
        )

    def handle(self, *args, **options):
        self.options = options
        self.started = time.monotonic()
        chosen = [
            s for s in STEPS if (not options["only"] or s in options["only"]) and s not in options["skip"]
        ]
        plan = [self._step(name) for name in chosen]
        self.expected_total = sum(step["estimate"] for step in plan)
        self._say(
            f"The report: {len(plan)} steps ({', '.join(chosen)}), about {self._clock(self.expected_total)} "
            f"expected on a 2-core machine. Writing to {options['out']}."
        )
        figures, steps, floors = [], [], {}
        for number, step in enumerate(plan, 1):
            data, outcome = self._run(number, len(plan), step)
            steps.append(outcome)
            if data is None:
                figures += report.failed(step["name"], outcome["reason"], step["expected"])
                continue
            try:
                if step["name"] == "floors":
                    floors = data
                    figures += self._floor_figures(data)
                else:
                    figures += report.explained(step["figures"](data, floors), outcome)
            except (KeyError, TypeError, ValueError) as error:
                outcome.update(ok=False, reason=f"its output could not be read: {error!r}")
                figures += report.failed(step["name"], outcome["reason"], step["expected"])
        out = Path(self.options["out"])
        report.write(out, figures, steps)
        met = sum(f["met"] is True for f in figures)
        missed = [f["name"] for f in figures if f["met"] is False]
        self._say(
            f"Done in {self._clock(time.monotonic() - self.started)}: {met} figures met, {len(missed)} not met"
            + (f" ({'; '.join(missed)})" if missed else "")
            + f".\nWritten: {out / 'index.html'} and {out / 'summary.json'}"
        )

    # The steps: the command each runs, how long it is expected to take here, what it gives.
    def _step(self, name: str) -> dict:
        o = self.options
        ra = [sys.executable, "-m", "recordaccess"]
        if name == "floors":
            # The Notify floor's rate is steady after a few thousand texts: at most FLOOR_TEXTS are posted, and
            # the campaign's floor is that time scaled to its number of messages (said in the figure).
            texts = min(o["recipients"], FLOOR_TEXTS)
            return {
                "name": name,
                "label": f"floors: the Notify client alone ({texts:,} texts), a trivial page",
                "argv": [*ra, "bench_floors", "--notify", str(texts), "--pages", "200", "--json"],
                "database": "sqlite",
                "estimate": 30 + texts / 300,
                "expected": [("Notify client alone (the campaign's floor)", "messages/s", None)],
            }
        if name == "import":
            rows = o["import_rows"]
            return {
                "name": name,
                "label": f"register import, {rows:,} rows",
                "argv": [*ra, "bench_import", "--rows", str(rows), "--json"],
                "database": "sqlite",
                "estimate": 30 + rows * 240 / 1_000_000,
                "expected": report.expected_import(rows),
                "figures": lambda data, floors: report.from_import(data),
            }
        if name == "campaign":
            n = o["recipients"]
            return {
                "name": name,
                "label": f"campaign, {n:,} recipients, a worker killed part-way",
                "argv": [*ra, "bench_campaign", "--recipients", str(n), "--json"],
                "database": "sqlite",
                "estimate": 40 + n * 300 / 100_000,
                "expected": report.expected_campaign(n),
                "figures": lambda data, floors: report.from_campaign(data, floors.get("notify")),
            }
        if name == "waiting list":
            n = o["requests"]
            return {
                "name": name,
                "label": f"waiting list, {n:,} open requests",
                "argv": [*ra, "bench_waitinglist", "--requests", str(n), "--json"],
                "database": "sqlite",
                "estimate": 30 + n * 60 / 100_000,
                "expected": report.expected_waitinglist(n),
                "figures": lambda data, floors: report.from_waitinglist(data, floors.get("page")),
            }
        if name == "dashboard":
            p, per = o["practices"], o["patients_per_practice"]
            return {
                "name": name,
                "label": f"dashboard and ICB roll-up, {p:,} practices × {per:,} patients",
                "argv": [
                    *ra,
                    "bench_dashboard",
                    "--practices",
                    str(p),
                    "--patients-per-practice",
                    str(per),
                    "--json",
                ],
                "database": "sqlite",
                "estimate": 60 + p * per * 600 / 2_000_000,
                "expected": report.expected_dashboard(p, per),
                "figures": lambda data, floors: report.from_dashboard(data, floors.get("page")),
            }
        if name == "load":
            return {
                "name": name,
                "label": f"load on the production shape, {o['load_seconds']} s, {o['load_registered']:,} registered",
                # This session's own ports and Redis database (the load helper's defaults are its own).
                "argv": [
                    *ra,
                    "bench_load",
                    "--seconds",
                    str(o["load_seconds"]),
                    "--port",
                    "8304",
                    "--redis-url",
                    "redis://127.0.0.1:6379/3",
                    "--registered",
                    str(o["load_registered"]),
                    "--json",
                ],
                "database": "postgres",
                "estimate": 300 + o["load_seconds"],
                "expected": [("Patient pages under load: p95", "ms", None)],
                "figures": lambda data, floors: report.from_figures(data, "load"),
            }
        return {
            "name": name,
            "label": "faults during load: PostgreSQL, Redis, Notify, a worker, the disk",
            "argv": [*ra, "bench_faults", "--json"],
            "database": "postgres",
            "estimate": 420,
            "expected": [("Faults during load: every fault recovered without a person", "faults", None)],
            "figures": lambda data, floors: report.from_figures(data, "faults"),
        }

    @staticmethod
    def _floor_figures(data: dict) -> list[dict]:
        figures = []
        if "notify" in data:
            n = data["notify"]
            figures.append(
                report.figure(
                    "Notify client alone (the campaign's floor)",
                    n["rate_per_s"],
                    "messages/s",
                    None,
                    better="higher",
                    step="floors",
                    note=f"{n['messages']:,} texts from {n['processes']} processes in {n['seconds']} s, no database",
                )
            )
        if "page" in data:
            figures.append(
                report.figure(
                    "Trivial view through Django's test client (the staff pages' floor): p95",
                    data["page"]["p95_ms"],
                    "ms",
                    None,
                    step="floors",
                    note=f"p50 {data['page']['p50_ms']} ms over {data['page']['samples']} requests, signed in",
                )
            )
        return figures

    def _run(self, number: int, of: int, step: dict) -> tuple[dict | None, dict]:
        outcome = {"name": step["name"], "command": " ".join(step["argv"][2:]), "ok": False, "reason": ""}
        started = time.monotonic()
        limit = step["estimate"] * self.options["timeout_factor"] + 60
        self._say(f"[{number}/{of}] {step['label']}: expected about {self._clock(step['estimate'])}")
        with tempfile.TemporaryDirectory(prefix=f"report-{step['name'].replace(' ', '-')}-") as folder:
            environment = {**os.environ, "DEBUG": "0", "LOG_LEVEL": "WARNING"}
            if step["database"] == "sqlite":
                environment["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
            else:
                environment["DATABASE_URL"] = self.options["postgres"]
            if step["database"] == "sqlite":  # the db task backend: the benchmark starts its own workers
                environment.pop("TASKS_BACKEND", None)
            try:
                if step["database"] == "postgres":
                    self._fresh_postgres(self.options["postgres"])
                self._child(
                    [sys.executable, "-m", "recordaccess", "migrate", "--noinput", "-v", "0"],
                    environment,
                    folder,
                    300,
                    step,
                    number,
                    of,
                    started,
                )
                left = max(60, limit - (time.monotonic() - started))
                output = self._child(step["argv"], environment, folder, left, step, number, of, started)
                data = json.loads(output.strip().splitlines()[-1])
            except StepFailed as failure:
                outcome["reason"] = str(failure)
                data = None
            except (ValueError, IndexError) as error:
                outcome["reason"] = f"it printed no JSON ({error})"
                data = None
        outcome["seconds"] = round(time.monotonic() - started, 1)
        outcome["ok"] = data is not None
        outcome["load_average"] = round(os.getloadavg()[0], 1)  # the last minute's, as the step ended
        self._say(
            f"[{number}/{of}] {step['name']}: "
            + ("done" if outcome["ok"] else f"FAILED ({outcome['reason']})")
            + f" in {self._clock(outcome['seconds'])}; {self._clock(time.monotonic() - self.started)} so far"
        )
        return data, outcome

    def _child(self, argv, environment, folder, limit, step, number, of, started) -> str:
        stdout, stderr = Path(folder) / "stdout", Path(folder) / "stderr"
        with stdout.open("w") as out, stderr.open("w") as err:
            child = subprocess.Popen(  # noqa: S603 - our own commands
                argv, stdout=out, stderr=err, env=environment, cwd=settings.HOME, start_new_session=True
            )
            stop = threading.Event()
            ticker = threading.Thread(target=self._tick, args=(stop, step, number, of, started), daemon=True)
            ticker.start()
            try:
                child.wait(timeout=limit)
            except subprocess.TimeoutExpired:
                # SIGINT first: the benchmark's own clean-up runs (its `finally` stops the workers it started in
                # sessions of their own, which a signal to its group would not reach); then TERM, then KILL.
                for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(child.pid, sig)
                    try:
                        child.wait(timeout=30)
                        break
                    except subprocess.TimeoutExpired:
                        continue
                raise StepFailed(f"timed out after {self._clock(limit)}") from None
            finally:
                stop.set()
                ticker.join()
        if child.returncode:
            tail = stderr.read_text(errors="replace").strip().splitlines()[-3:]
            raise StepFailed(f"{Path(argv[3]).name} exited {child.returncode}: {' / '.join(tail)[-400:]}")
        return stdout.read_text()

    def _tick(self, stop: threading.Event, step: dict, number: int, of: int, started: float) -> None:
        while not stop.wait(30):
            elapsed = time.monotonic() - started
            self._say(
                f"[{number}/{of}] {step['name']}: {self._clock(elapsed)} of about {self._clock(step['estimate'])}; "
                f"the whole report {self._clock(time.monotonic() - self.started)} of about "
                f"{self._clock(self.expected_total)}"
            )

    @staticmethod
    def _fresh_postgres(url: str) -> None:
        name = url.rsplit("/", 1)[-1]
        if name in ("test", "recordaccess_production"):
            raise StepFailed(f"refusing to empty the database {name!r}")
        admin = url.rsplit("/", 1)[0] + "/postgres"
        for sql in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
            done = subprocess.run(["psql", admin, "-qc", sql], capture_output=True, text=True)  # noqa: S603,S607
            if done.returncode:
                raise StepFailed(f"could not make a fresh {name}: {done.stderr.strip()[-300:]}")

    def _say(self, text: str) -> None:
        self.stderr.write(text)
        self.stderr.flush()

    @staticmethod
    def _clock(seconds: float) -> str:
        seconds = round(seconds)
        return f"{seconds // 60}:{seconds % 60:02d}"


class StepFailed(Exception):
    pass
