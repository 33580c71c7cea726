"""`recordaccess bench_waitinglist --requests N [--json]`: the waiting list's pages and filters at scale.

Fills a benchmark practice with N open requests (written with the driver alone, not timed), with a spread of
clinical need, flags and ages, then times the waiting list's pages through Django's test client, signed in as a
member of staff, as a browser would ask for them: the first page, deep pages, and each filter. Prints p50 and
p95 over every request. The benchmark practice is emptied before and after.
"""

import datetime
import json
import random
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from recordaccess.audit.services import Actor
from recordaccess.core.bulk import BulkInsert
from recordaccess.core.codes import random_code
from recordaccess.intake import priority
from recordaccess.intake.models import AccessRequest
from recordaccess.intake.waiting_list import weights_for
from recordaccess.practices.bench import reception_member, signed_in_client
from recordaccess.practices.models import StaffUser
from recordaccess.practices.selectors import practice_by_ods
from recordaccess.practices.services import create_practice

BENCH_ODS = "Z90004"
USERNAME = "bench-waitinglist"
COLUMNS = [
    "practice_id",
    "reference",
    "route",
    "wish",
    "status",
    "given_name",
    "family_name",
    "date_of_birth",
    "address",
    "postcode",
    "nhs_number",
    "mobile",
    "phone",
    "email",
    "contact_by",
    "communication_needs",
    "access_level",
    "appointments",
    "prescriptions",
    "question",
    "declarations",
    "for_someone_else",
    "requester_name",
    "requester_relationship",
    "proxy_basis",
    "proxy_evidence",
    "match_status",
    "fingerprint",
    "repeats",
    "entered_by",
    "clinical_need",
    "need_note",
    "risk_flag",
    "has_need",
    "priority_key",
    "on_list",
    "received_at",
    "updated_at",
]


class Command(BaseCommand):
    help = "Benchmark the waiting list's pages and filters with N open requests."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=100_000)
        parser.add_argument("--rounds", type=int, default=5, help="Times each page is asked for.")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, requests: int, rounds: int, as_json: bool, **options):
        say = (lambda *a: None) if as_json else self.stdout.write
        practice = self._empty()
        say(f"Adding {requests:,} open requests…")
        started = time.perf_counter()
        self._fill(practice, requests)
        fill_seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            # As the database's own housekeeping would leave a table after a bulk load: statistics, and on
            # PostgreSQL the visibility map that lets counts read the index alone (autovacuum does this).
            # (VACUUM cannot run inside a transaction, as under a test.)
            vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        client = self._signed_in(practice)
        base = f"/staff/p/{BENCH_ODS}/waiting-list/"
        pages = max(1, requests // 25)
        urls = [
            base,
            f"{base}?page=2",
            f"{base}?page={pages // 2}",
            f"{base}?page={pages}",
            f"{base}?show=past_target",
            f"{base}?show=flagged",
            f"{base}?show=need",
            f"{base}?show=flagged&page=3",
        ]
        timings, by_url = [], {}
        with override_settings(ALLOWED_HOSTS=["testserver", *settings.ALLOWED_HOSTS]):
            for url in urls:  # warm each once
                self._get(client, url)
            for _ in range(rounds):
                for url in urls:
                    ms = self._get(client, url)
                    timings.append(ms)
                    by_url.setdefault(url.removeprefix(base) or "first page", []).append(ms)
        self._empty()
        timings.sort()
        result = {
            "database": connection.vendor,
            "requests": requests,
            "fill_seconds": round(fill_seconds, 2),
            "pages_timed": len(timings),
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
            "max_ms": round(timings[-1], 1),
            "median_ms_by_page": {url: round(statistics.median(t), 1) for url, t in by_url.items()},
        }
        if as_json:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(
                f"{requests:,} open requests on {connection.vendor}: waiting-list pages p50 {result['p50_ms']} ms, "
                f"p95 {result['p95_ms']} ms, slowest {result['max_ms']} ms over {len(timings)} pages.\n"
                + "\n".join(f"  {url}: {ms} ms" for url, ms in result["median_ms_by_page"].items())
            )

    @staticmethod
    def _get(client, url) -> float:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return elapsed

    @staticmethod
    def _signed_in(practice):
        """A member of reception, signed in with password and two-factor as far as the session knows."""
        return signed_in_client(reception_member(practice, USERNAME))

    @staticmethod
    def _empty():
        practice = practice_by_ods(BENCH_ODS) or create_practice(
            actor=Actor.system("command:bench_waitinglist"), ods_code=BENCH_ODS, name="Waiting-list benchmark"
        )
        with transaction.atomic():
            AccessRequest.objects.filter(practice=practice)._raw_delete(connection.alias)
            StaffUser.objects.filter(username=USERNAME).delete()
        return practice

    @staticmethod
    def _fill(practice, count: int) -> None:
        rng = random.Random(7)  # noqa: S311 - reproducible benchmark data
        now = timezone.now()
        weights = weights_for(practice)
        adapt = connection.ops.adapt_datetimefield_value

        def row(i: int) -> tuple:
            received = now - datetime.timedelta(minutes=rng.randint(0, 120 * 24 * 60))
            need = rng.choice(["", "", "", "", "carer", "long_term_condition"])
            flagged = rng.random() < 0.05
            level = rng.choice(["prospective", "historic", "coded", "summary"])
            points = priority.base(need=need, risk_flag=flagged, access_level=level, weights=weights)
            key = priority.key(base_points=points, received_at=received, weights=weights)
            status = rng.choice(["identity_verified", "waiting", "waiting"])
            return (
                practice.pk,
                random_code(8),
                "online",
                "wants_access",
                status,
                "Sam",
                f"Bench{i}",
                connection.ops.adapt_datefield_value(
                    datetime.date(1970, 1, 1) + datetime.timedelta(days=i % 15000)
                ),
                "1 Bench Street",
                "LS1 4AP",
                "",
                "",
                "",
                "",
                "sms",
                "",
                level,
                False,
                False,
                "",
                True,
                False,
                "",
                "",
                "",
                "",
                "matched",
                f"{i:064d}",
                0,
                "",
                need,
                "",
                flagged,
                bool(need),
                key,
                True,
                adapt(received),
                adapt(now),
            )

        inserter = BulkInsert(AccessRequest, COLUMNS)
        with transaction.atomic(), connection.cursor() as cursor:
            for start in range(0, count, 10_000):
                inserter.write(cursor, [row(i) for i in range(start, min(count, start + 10_000))])
