"""`recordaccess refresh_figures [--practice ODS] [--json]`: rebuild the dashboard's summary rows now, for one
practice or all (the worker does it every REPORTS_REFRESH_MINUTES; this is for after a bulk import or a restore)."""

import json
import time

from django.core.management.base import BaseCommand, CommandError

from recordaccess.practices.selectors import practice_by_ods
from recordaccess.reports import refresh


class Command(BaseCommand):
    help = (
        "Rebuild the programme dashboard's figures now, for one practice (--practice) or every practice. "
        "Exits 2 on an unknown practice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--practice", help="ODS code of one practice (default: every practice).")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the result as JSON.")

    def handle(self, *args, practice=None, as_json=False, **options):
        started = time.perf_counter()
        if practice:
            found = practice_by_ods(practice.strip().upper())
            if found is None:
                raise CommandError(f"No practice with ODS code {practice!r}.", returncode=2)
            refresh.refresh_practice(found)
            count = 1
        else:
            count = refresh.refresh_all()
        seconds = round(time.perf_counter() - started, 2)
        if as_json:
            self.stdout.write(json.dumps({"practices": count, "seconds": seconds}))
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Refreshed the figures of {count} practice(s) in {seconds}s.")
            )
