"""`recordaccess bench_dashboard [--practices 200] [--patients-per-practice 10000] [--samples 20] [--json]`: the
practice dashboard and the ICB roll-up at the scale of an ICB.

1. Fills a benchmark ICB (reports/bench.py): PCNs of ten practices, each practice with its register, three
   campaigns with one message per patient, replies, a tenth as many requests across the pipeline with their
   identity checks, reviews and decisions, slots, questions and exclusion snapshots, six months of them; written
   with the database driver alone (timed, with a progress bar on a terminal).
2. Refreshes the summary tables the pages read (`reports.refresh.refresh_all`, timed).
3. Through Django's test client, signed in with password and two-factor as far as the session knows, asks for
   the dashboard (`staff:programme`) of a random practice and for the ICB's roll-up (`staff:organisation`)
   `--samples` times each after one warm-up each, and checks each answer is the page with its figures.
4. Prints p50, p95 and the slowest of each, and whether the targets are met (dashboard p95 under 200 ms,
   roll-up p95 under 500 ms).
The benchmark ICB is emptied before and after (`--keep` leaves it; `--reuse` times a kept one again without
filling it). `--fill-only` fills, counts and empties, timing no page.
"""

import json
import math
import random
import resource
import statistics
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from tqdm import tqdm

from recordaccess.practices.bench import signed_in_client
from recordaccess.reports import bench

DASHBOARD_TARGET_MS, ROLLUP_TARGET_MS = 200, 500
TIMINGS = [  # None with --fill-only
    "refresh_seconds",
    "samples",
    *(f"{page}_{figure}_ms" for page in ("dashboard", "rollup") for figure in ("p50", "p95", "max")),
    "pass",
]


class Command(BaseCommand):
    help = "Benchmark the practice dashboard and the ICB roll-up with an ICB's practices filled."

    def add_arguments(self, parser):
        parser.add_argument("--practices", type=int, default=200)
        parser.add_argument("--patients-per-practice", type=int, default=10_000)
        parser.add_argument("--samples", type=int, default=20, help="Timed requests for each page.")
        parser.add_argument("--keep", action="store_true", help="Leave the benchmark ICB filled afterwards.")
        parser.add_argument(
            "--reuse", action="store_true", help="Time the ICB an earlier --keep left, without filling it."
        )
        parser.add_argument("--fill-only", action="store_true", help="Fill and count; time no page.")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, practices, patients_per_practice, samples, keep, reuse, fill_only, as_json, **o):
        if not 1 <= practices <= bench.MAX_PRACTICES:
            raise CommandError(f"--practices must be from 1 to {bench.MAX_PRACTICES:,}.", returncode=2)
        if patients_per_practice < 10:
            raise CommandError("--patients-per-practice must be at least 10.", returncode=2)
        if samples < 1:
            raise CommandError("--samples must be at least 1.", returncode=2)
        if reuse and fill_only:
            raise CommandError(
                "--reuse and --fill-only cannot go together: there is nothing to do.", returncode=2
            )
        say = (lambda *a: None) if as_json else self.stdout.write
        wanted = {"practices": practices, "patients": practices * patients_per_practice}
        if reuse:
            found = bench.filled()
            if not found or {key: found[key] for key in wanted} != wanted:
                raise CommandError(
                    f"No benchmark ICB of {practices:,} practices and {wanted['patients']:,} patients to reuse "
                    f"(found {found or 'none'}): run once with --keep first.",
                    returncode=2,
                )
            fill_seconds, rows = None, {"requests": found["requests"], "messages": found["messages"]}
        else:
            say(f"Filling an ICB of {practices:,} practices of {patients_per_practice:,} patients…")
            fill_seconds, rows = self._fill(practices, patients_per_practice)
        result = {
            "database": connection.vendor,
            "practices": practices,
            "patients": wanted["patients"],
            "requests": rows["requests"],
            "messages": rows["messages"],
            "fill_seconds": fill_seconds,
            "rows": None if reuse else rows,
            **dict.fromkeys(TIMINGS),
        }
        try:
            if not fill_only:
                result.update(self._time(samples, say))
        finally:
            if not keep:
                say("Emptying the benchmark ICB…")
                started = time.perf_counter()
                bench.empty()
                result["empty_seconds"] = round(time.perf_counter() - started, 2)
        result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        if as_json:
            self.stdout.write(json.dumps(result))
            return
        self._print(result)

    @staticmethod
    def _bar(desc: str):
        return tqdm(desc=desc, unit=" practices", file=sys.stderr, disable=not sys.stderr.isatty())

    def _fill(self, practices: int, patients_per_practice: int) -> tuple[float, dict]:
        with self._bar("Filling") as bar:

            def progress(done, total):
                bar.total = total
                bar.update(done - bar.n)

            started = time.perf_counter()
            rows = bench.fill(practices, patients_per_practice, progress=progress)
        return round(time.perf_counter() - started, 2), rows

    def _time(self, samples: int, say) -> dict:
        # The summary tables' refresh: imported here, so that --fill-only runs without it.
        from recordaccess.reports.refresh import refresh_all

        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            say("Vacuuming the filled tables…")
            with connection.cursor() as cursor:
                # As autovacuum would leave them after a load: the visibility map that lets counts read an
                # index alone. (VACUUM cannot run inside a transaction, as under a test.)
                cursor.execute("VACUUM ANALYZE " + ", ".join(bench.big_tables()))
        say("Refreshing the summary tables…")
        with self._bar("Refreshing") as bar:

            def progress(done, total):
                bar.total = total
                bar.update(done - bar.n)

            started = time.perf_counter()
            refresh_all(progress=progress)
            refresh_seconds = round(time.perf_counter() - started, 2)
        practices = list(bench.bench_practices().order_by("ods_code").values_list("ods_code", "name"))
        rng = random.Random(bench.SEED)  # noqa: S311 - the same practices each run
        dashboard, rollup = self._signed_in(bench.PRACTICE_STAFF), self._signed_in(bench.OBSERVER)
        rollup_url = reverse("staff:organisation", kwargs={"code": bench.ICB_CODE})
        say(f"Timing the dashboard and the roll-up, {samples} times each…")
        with override_settings(ALLOWED_HOSTS=["testserver", *settings.ALLOWED_HOSTS]):
            dashboard_ms, rollup_ms = [], []
            for sample in range(samples + 1):  # the first of each is the warm-up
                ods, name = rng.choice(practices)
                ms = self._get(dashboard, reverse("staff:programme", kwargs={"ods": ods}), [name])
                if sample:
                    dashboard_ms.append(ms)
                ms = self._get(rollup, rollup_url, [bench.ICB_NAME, practices[0][1]])
                if sample:
                    rollup_ms.append(ms)
        figures = {"refresh_seconds": refresh_seconds, "samples": samples}
        for page, timings in (("dashboard", dashboard_ms), ("rollup", rollup_ms)):
            timings.sort()
            figures[f"{page}_p50_ms"] = round(statistics.median(timings), 1)
            figures[f"{page}_p95_ms"] = round(timings[math.ceil(0.95 * len(timings)) - 1], 1)  # nearest rank
            figures[f"{page}_max_ms"] = round(timings[-1], 1)
        figures["pass"] = (
            figures["dashboard_p95_ms"] < DASHBOARD_TARGET_MS and figures["rollup_p95_ms"] < ROLLUP_TARGET_MS
        )
        return figures

    @staticmethod
    def _get(client: Client, url: str, expected: list[str]) -> float:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}, not the page.")
        text = response.content.decode()
        missing = [words for words in expected if words not in text]
        if missing:
            raise CommandError(f"{url} answered without {missing}.")
        return elapsed

    @staticmethod
    def _signed_in(username: str):
        """The benchmark's user, signed in with password and two-factor as far as the session knows."""
        from recordaccess.practices.models import StaffUser

        return signed_in_client(StaffUser.objects.get(username=username))

    def _print(self, result: dict) -> None:
        rows = result["rows"]
        lines = [
            f"\nICB of {result['practices']:,} practices, {result['patients']:,} patients on {result['database']}:"
        ]
        if rows:  # filled this time
            lines.append(
                f"filled in {result['fill_seconds']:.1f} s (peak RSS {result['peak_rss_mb']:.0f} MB): "
                + ", ".join(f"{count:,} {table.replace('_', ' ')}" for table, count in rows.items())
            )
        if result["pass"] is not None:
            lines += [
                f"summary tables refreshed in {result['refresh_seconds']:.1f} s; {result['samples']} requests each:",
                "",
                "| page | p50 | p95 | slowest | target (p95) |",
                "|------|-----|-----|---------|--------------|",
            ]
            for page, label, target in (
                ("dashboard", "practice dashboard", DASHBOARD_TARGET_MS),
                ("rollup", "ICB roll-up", ROLLUP_TARGET_MS),
            ):
                lines.append(
                    f"| {label} | {result[f'{page}_p50_ms']} ms | {result[f'{page}_p95_ms']} ms "
                    f"| {result[f'{page}_max_ms']} ms | < {target} ms |"
                )
            lines.append("\nTargets met." if result["pass"] else "\nTargets NOT met.")
        self.stdout.write("\n".join(lines))
