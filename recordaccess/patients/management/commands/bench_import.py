"""`recordaccess bench_import --rows N`: how fast the register import runs against the database driver alone.

1. Writes a synthetic EMIS-style export of N rows (not timed).
2. Imports it with `recordaccess import_register` in a child process, timing it and taking its peak RSS.
3. Inserts the same rows with the driver alone, executemany on SQLite and COPY on PostgreSQL, into the same
   table (timing only the inserts), as the floor.
4. Times patient searches by NHS number, name and date of birth among the imported patients.
Each run starts from empty benchmark practices, so runs are comparable.
"""

import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from recordaccess.audit.services import Actor
from recordaccess.core import nhs_number
from recordaccess.core.processes import database_url
from recordaccess.patients.models import AccessStatus, Patient, Preference, RegisterImport
from recordaccess.patients.names import search_key
from recordaccess.patients.register import VALUE_FIELDS, parse_date
from recordaccess.patients.selectors import search_patients
from recordaccess.patients.synthetic import write_export
from recordaccess.practices.selectors import practice_by_ods
from recordaccess.practices.services import create_practice

IMPORT_ODS, FLOOR_ODS = "Z90001", "Z90002"
FLOOR_CHUNK = 50_000
FLOOR_COLUMNS = (
    "practice_id",
    *VALUE_FIELDS,
    "source_hash",
    "preference",
    "access_status",
    "created_at",
    "updated_at",
)


class Command(BaseCommand):
    help = "Benchmark the register import against the database driver's own insert speed, and patient search."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, rows: int, as_json: bool, **options):
        say = (lambda *a: None) if as_json else self.stdout.write
        importing, floor = self._practice(IMPORT_ODS), self._practice(FLOOR_ODS)
        with tempfile.TemporaryDirectory() as folder:
            export = Path(folder) / "bench-register.csv"
            say(f"Writing a synthetic export of {rows:,} rows…")
            write_export(export, rows, first_stem=100_000_000)
            say(f"Importing it ({export.stat().st_size / 1e6:.0f} MB) with recordaccess import_register…")
            seconds, peak_rss_mb, summary = self._import(export, as_json)
            say("Importing it again: every row unchanged…")
            reimport_seconds, _, again = self._import(export, as_json)
            assert again["unchanged"] == summary["created"], again
            say("Inserting the same rows with the database driver alone (the floor)…")
            floor_seconds = self._floor(export, floor.pk, as_json)
        searches = self._search_times(importing)
        for practice in (importing, floor):  # leave the database as it was
            self._practice(practice.ods_code)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:  # give the two million deleted rows' pages back
                cursor.execute("VACUUM")
        result = {
            "database": connection.vendor,
            "rows": rows,
            "seconds": round(seconds, 2),
            "rows_per_s": round(rows / seconds),
            "floor_seconds": round(floor_seconds, 2),
            "ratio_to_floor": round(seconds / floor_seconds, 2),
            "peak_rss_mb": round(peak_rss_mb, 1),
            "reimport_seconds": round(reimport_seconds, 2),
            "created": summary["created"],
            "rejected": summary["rejected"],
            "search_ms": searches,
        }
        if as_json:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(
            f"\n{rows:,} rows on {connection.vendor}: {seconds:.1f} s ({result['rows_per_s']:,} rows/s), "
            f"floor {floor_seconds:.1f} s, ratio {result['ratio_to_floor']}×, peak RSS {peak_rss_mb:.0f} MB; "
            f"the same file again (all unchanged): {reimport_seconds:.1f} s\n"
            "Patient search among them, milliseconds (median / slowest of 20): "
            + ", ".join(f"{kind} {t['p50']} / {t['max']}" for kind, t in searches.items())
        )

    def _practice(self, ods: str):
        practice = practice_by_ods(ods) or create_practice(
            actor=Actor.system("command:bench_import"), ods_code=ods, name=f"Benchmark practice {ods}"
        )
        with transaction.atomic():
            RegisterImport.objects.filter(practice=practice).delete()
            Patient.objects.filter(practice=practice)._raw_delete(connection.alias)
        return practice

    def _import(self, export: Path, quiet: bool) -> tuple[float, float, dict]:
        command = [
            sys.executable,
            "-m",
            "recordaccess",
            "import_register",
            str(export),
            "--practice",
            IMPORT_ODS,
        ]
        command.append("--json")
        started = time.perf_counter()
        environment = {**os.environ, "DEBUG": "0", "DATABASE_URL": database_url()}
        done = subprocess.run(command, capture_output=True, text=True, check=True, env=environment)  # noqa: S603
        seconds = time.perf_counter() - started
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        return seconds, peak_kb / 1024, json.loads(done.stdout)

    def _floor(self, export: Path, practice_id: int, quiet: bool) -> float:
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        table = connection.ops.quote_name(Patient._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(c) for c in FLOOR_COLUMNS)
        total = 0.0
        bar = tqdm(unit=" rows", desc="Floor", disable=quiet or not sys.stderr.isatty())
        with export.open(encoding="utf-8-sig", newline="") as stream:
            reader = csv.reader(stream)
            next(reader)
            while chunk := [
                self._floor_row(r, practice_id, now) for _, r in zip(range(FLOOR_CHUNK), reader, strict=False)
            ]:
                started = time.perf_counter()
                self._insert(table, columns, chunk)
                total += time.perf_counter() - started
                bar.update(len(chunk))
        bar.close()
        return total

    @staticmethod
    def _floor_row(r: list[str], practice_id: int, now) -> tuple:
        """The export row as the table's columns, with no checking: what the driver alone is given."""
        adapt = connection.ops.adapt_datefield_value
        number, given, family, born, _sex, line_1, line_2, town, postcode, mobile, email, registered = r
        return (
            practice_id,
            nhs_number.normalise(number),
            given,
            family,
            search_key(given),
            search_key(family),
            adapt(parse_date(born)),
            "unknown",
            line_1,
            line_2,
            "",
            town,
            "",
            postcode,
            mobile.replace(" ", ""),
            email,
            adapt(parse_date(registered)),
            None,
            "registered",
            "",
            Preference.NOT_KNOWN.value,
            AccessStatus.NOT_DECIDED.value,
            now,
            now,
        )

    @staticmethod
    def _insert(table: str, columns: str, chunk: list[tuple]) -> None:
        raw = connection.connection
        if connection.vendor == "postgresql":
            with (
                transaction.atomic(),
                raw.cursor() as cursor,
                cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in chunk:
                    copy.write_row(row)
        else:
            placeholders = ", ".join("?" * len(FLOOR_COLUMNS))
            with transaction.atomic():
                raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", chunk)  # noqa: S608

    @staticmethod
    def _search_times(practice) -> dict:
        sample = list(
            Patient.objects.filter(practice=practice)
            .order_by("?")
            .values_list("nhs_number", "family_name", "given_name", "date_of_birth")[:20]
        )
        queries = {
            "nhs_number": [s[0] for s in sample],
            "surname": [s[1][:4] for s in sample],
            "full_name": [f"{s[2]} {s[1]}" for s in sample],
            "date_of_birth": [s[3].strftime("%d/%m/%Y") for s in sample],
        }
        times = {}
        for kind, terms in queries.items():
            taken = []
            for term in terms:
                started = time.perf_counter()
                search_patients(practice, term)
                taken.append((time.perf_counter() - started) * 1000)
            times[kind] = {"p50": round(statistics.median(taken), 2), "max": round(max(taken), 2)}
        return times
