"""`recordaccess bench_floors [--notify N] [--pages N] [--json]`: the floors other benchmarks are read against
(proving/floors.py), measured in the same run as them by `recordaccess report`.

- `--notify N`: N texts posted by the real Notify client from two processes to a local Notify server, no database.
- `--pages N`: a trivial view asked for N times through Django's test client, by a member of staff signed in with
  password and two-factor as far as the session knows (as bench_waitinglist and bench_dashboard sign in).
"""

import json

from django.core.management.base import BaseCommand, CommandError

from recordaccess.audit.services import Actor
from recordaccess.practices.bench import reception_member, signed_in_client
from recordaccess.practices.models import StaffUser
from recordaccess.practices.selectors import practice_by_ods
from recordaccess.practices.services import create_practice
from recordaccess.proving import floors

FLOOR_ODS, USERNAME = "Z90009", "bench-floor"


class Command(BaseCommand):
    help = "Measure the floors the benchmarks are read against: the Notify client alone, a trivial page."

    def add_arguments(self, parser):
        parser.add_argument("--notify", type=int, default=0, metavar="N", help="Texts for the Notify floor.")
        parser.add_argument("--processes", type=int, default=2, help="Processes posting them (as workers).")
        parser.add_argument("--pages", type=int, default=0, metavar="N", help="Requests for the page floor.")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, notify: int, processes: int, pages: int, as_json: bool, **options):
        if notify < 0 or pages < 0 or processes < 1:
            raise CommandError("--notify and --pages must be 0 or more, --processes at least 1.")
        result = {}
        if notify:
            result["notify"] = floors.notify_floor(notify, processes)
        if pages:
            try:
                result["page"] = floors.page_floor(self._signed_in(), pages)
            finally:
                StaffUser.objects.filter(username=USERNAME).delete()
        if as_json:
            self.stdout.write(json.dumps(result))
            return
        if "notify" in result:
            n = result["notify"]
            self.stdout.write(
                f"Notify client alone: {n['messages']:,} texts from {n['processes']} processes in {n['seconds']} s "
                f"({n['rate_per_s']:,}/s)."
            )
        if "page" in result:
            p = result["page"]
            self.stdout.write(
                f"Trivial view through the test client: p50 {p['p50_ms']} ms, p95 {p['p95_ms']} ms."
            )

    @staticmethod
    def _signed_in():
        practice = practice_by_ods(FLOOR_ODS) or create_practice(
            actor=Actor.system("command:bench_floors"), ods_code=FLOOR_ODS, name="Floor benchmark"
        )
        return signed_in_client(reception_member(practice, USERNAME))
