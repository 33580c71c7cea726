"""`recordaccess bench_load [--patients 50] [--seconds 180] [--json]`: the load run of issue 17 against the
production shape (recordaccess/proving/load.py says what it does, step by step).

Targets, on the 2-core machine with the load generator on it too: 50 patients at once with page p95 under 300 ms
and no errors; at least 15,000 complete submissions an hour; the page rate at least half the trivial view's
through the same stack; staff pages p95 under 300 ms meanwhile; afterwards every accepted submission stored
exactly once and every message sent exactly once. `--json` prints {"figures": [{name, value, unit, target,
met}, ...]}; the run's details (statuses, counts, log files) go to result.json in the run's folder.
"""

import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recordaccess.proving.load import LoadRun, Options


class Command(BaseCommand):
    help = (
        "Load-test the production shape: patients, staff and a 100,000-recipient campaign at once (locust)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--patients", type=int, default=50, help="Simulated patients at once.")
        parser.add_argument("--staff", type=int, default=5, help="Members of staff working the waiting list.")
        parser.add_argument("--seconds", type=float, default=180, help="How long the load runs.")
        parser.add_argument(
            "--floor-seconds", type=float, default=20, help="How long the trivial view is asked for."
        )
        parser.add_argument(
            "--think", type=float, default=0.5, help="Seconds a patient pauses before answering each page."
        )
        parser.add_argument(
            "--registered", type=int, default=100_000, help="Registered patients (the campaign's)."
        )
        parser.add_argument("--waiting", type=int, default=10_000, help="Open requests on the waiting list.")
        parser.add_argument("--no-campaign", action="store_true", help="No campaign sends during the run.")
        parser.add_argument("--port", type=int, default=8200, help="gunicorn's port (Notify's is the next).")
        parser.add_argument(
            "--notify-port", type=int, help="The Notify stand-in's port (default: --port + 1)."
        )
        parser.add_argument("--workers", type=int, default=2, help="RQ workers.")
        parser.add_argument(
            "--web-workers", type=int, help="gunicorn processes (deploy/gunicorn.conf.py's default)."
        )
        parser.add_argument(
            "--web-threads", type=int, help="Threads per gunicorn process (the config's default)."
        )
        parser.add_argument(
            "--notify-rate", type=int, default=3000, help="Notify's rate limit during the load, a minute."
        )
        parser.add_argument(
            "--finish-within", type=float, default=900, help="Seconds to wait for the campaign afterwards."
        )
        parser.add_argument(
            "--redis-url",
            default=os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/2"),
            help="The shape's Redis database (emptied at the start).",
        )
        parser.add_argument("--run-dir", type=Path, help="Where logs and records go (var/proving/load-PORT).")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, as_json: bool, **o):
        if o["patients"] < 1 or o["seconds"] <= 0 or o["floor_seconds"] <= 0 or o["think"] < 0:
            raise CommandError(
                "--patients, --seconds and --floor-seconds must be positive, --think not negative."
            )
        if not 1 <= o["registered"] <= 1_000_000 or o["waiting"] < 0 or o["staff"] < 0:
            raise CommandError("--registered from 1 to 1,000,000; --waiting and --staff not negative.")
        options = Options(
            patients_at_once=o["patients"],
            staff=o["staff"],
            seconds=o["seconds"],
            floor_seconds=o["floor_seconds"],
            think=o["think"],
            registered=o["registered"],
            waiting=o["waiting"],
            campaign=not o["no_campaign"],
            port=o["port"],
            notify_port=o["notify_port"],
            workers=o["workers"],
            web_workers=o["web_workers"],
            web_threads=o["web_threads"],
            notify_rate_per_minute=o["notify_rate"],
            finish_within=o["finish_within"],
            redis_url=o["redis_url"],
            run_dir=o["run_dir"],
            quiet=as_json,
        )
        say = (lambda *a: None) if as_json else self.stdout.write
        run = LoadRun(options, say=say)
        result = run.run()
        details_path = run.run_dir / "result.json"
        details_path.write_text(
            json.dumps(
                {"figures": [f.as_dict() for f in result.figures], "details": result.details}, indent=2
            )
        )
        if as_json:
            self.stdout.write(json.dumps({"figures": [f.as_dict() for f in result.figures]}))
            return
        rows = [("figure", "value", "target", "met")]
        for figure in result.figures:
            value = f"{figure.value:,}" if isinstance(figure.value, int) else f"{figure.value:,.1f}"
            met = "" if figure.met is None else ("yes" if figure.met else "NO")
            rows.append((figure.name, f"{value} {figure.unit}", figure.target or "", met))
        widths = [max(len(row[k]) for row in rows) for k in range(4)]
        self.stdout.write("")
        for n, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
            if n == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        d = result.details
        self.stdout.write(
            f"\n{d['submissions_completed']:,} submissions by {d['patients_started']:,} patients in {d['run_seconds']:g} s "
            f"({d['requests_per_submission']} page requests each); stored {d['stored']:,}, {d['stored_not_shown']} "
            f"stored but not shown; {d['acknowledgements_expected']:,} acknowledgements; campaign of "
            f"{d['campaign_recipients']:,} finished: {d['campaign_and_acknowledgements_finished']} "
            f"({d['finished_within']} s after the load). Load average {d['load_average']} (1, 5, 15 min) on "
            f"{d['database']}.\nDetails: {details_path}"
        )
