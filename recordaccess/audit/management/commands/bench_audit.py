"""`recordaccess bench_audit --entries N [--json]`: what writing and checking audit entries costs.

Writing an entry is on every patient view, so its cost must stay small beside the view's own queries. Writes N
entries as views do (`record`, each in its own savepoint), then checks the whole trail, inside one transaction
that is rolled back: nothing stays in the trail. The commit each view makes anyway is not counted. Also times
the keyed hash against the plain SHA-256 it replaced.
"""

import json
import statistics
import time
from datetime import UTC, datetime

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from recordaccess.audit.chain import HMAC_SHA256, UNKEYED, entry_hash
from recordaccess.audit.services import Actor, record
from recordaccess.audit.verify import verify_chain

SAMPLE = {
    "seq": 1,
    "at": datetime(2026, 11, 1, 9, 30, tzinfo=UTC),
    "practice_ods": "A81001",
    "actor_id": 7,
    "actor": "dr.jones",
    "ip_address": "192.0.2.10",
    "action": "patient.view",
    "object_type": "patient",
    "object_id": "42",
    "patient_id": 42,
    "detail": "",
}


def _per_call_us(scheme, calls: int = 20000) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        entry_hash(scheme=scheme, prev_hash="0" * 64, **SAMPLE)
    return (time.perf_counter() - started) / calls * 1e6


class Command(BaseCommand):
    help = "Time writing N audit entries and verifying the trail, in a transaction that is rolled back."

    def add_arguments(self, parser):
        parser.add_argument("--entries", type=int, default=2000)
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, entries: int, as_json: bool, **options):
        actor = Actor(id=7, name="bench-audit", ip_address="192.0.2.10")
        timings = []
        with transaction.atomic():
            for i in range(entries):
                started = time.perf_counter()
                record(actor=actor, action="patient.view", practice_ods="Z90005", patient_id=i)
                timings.append(time.perf_counter() - started)
            started = time.perf_counter()
            report = verify_chain()
            verify_seconds = time.perf_counter() - started
            transaction.set_rollback(True)
        timings.sort()
        result = {
            "database": connection.vendor,
            "entries_written": entries,
            "write_ms_p50": round(statistics.median(timings) * 1000, 3),
            "write_ms_p95": round(timings[int(len(timings) * 0.95) - 1] * 1000, 3),
            "verify_entries": report.entries,
            "verify_entries_per_second": round(report.entries / verify_seconds) if verify_seconds else None,
            "hash_us_plain_sha256": round(_per_call_us(UNKEYED), 2),
            "hash_us_hmac_sha256": round(_per_call_us(HMAC_SHA256), 2),
        }
        if as_json:
            self.stdout.write(json.dumps(result))
        else:
            for key, value in result.items():
                self.stdout.write(f"{key}: {value}")
