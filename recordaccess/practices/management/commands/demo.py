"""`recordaccess demo`: load the demo practice Y12345, its staff and its data (not in production)."""

import importlib
import json
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from recordaccess.audit.services import record
from recordaccess.practices import demo


class Command(BaseCommand):
    help = "Load the demo practice Y12345 with one staff account per role and synthetic patients. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the demo is already loaded (for `make run`: load it on the first run only).",
        )
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print one JSON object.")

    def handle(self, *args, if_empty: bool, as_json: bool, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "The demo is not available in production (RECORDACCESS_ENV=production).", returncode=2
            )
        practice = demo.demo_practice()
        if if_empty and demo.is_loaded(practice):
            if as_json:
                self.stdout.write(json.dumps({"practice": practice.ods_code, "skipped": True, "created": {}}))
            else:
                self.stdout.write(f"Demo already loaded: {practice}.")
            return
        created: dict[str, int] = {}

        def report(what: str, count: int) -> None:
            created[what] = created.get(what, 0) + count

        with transaction.atomic():
            practice = demo.load(practice=practice, report=report)
            # Each app that has demo data keeps it in its own demo module; practices' comes first, above.
            for config in apps.get_app_configs():
                module = f"{config.name}.demo"
                if config.name.startswith("recordaccess.") and module != demo.__name__ and find_spec(module):
                    importlib.import_module(module).load(practice=practice, report=report)
            record(actor=demo.ACTOR, action="demo.load", practice_ods=practice.ods_code, detail=created)
        if as_json:
            self.stdout.write(
                json.dumps({"practice": practice.ods_code, "skipped": False, "created": created})
            )
            return
        made = ", ".join(f"{count:,} {what}" for what, count in created.items() if count)
        there = ", ".join(what for what, count in created.items() if not count)
        summary = "; ".join(
            part for part in (made and f"created {made}", there and f"already there: {there}") if part
        )
        self.stdout.write(self.style.SUCCESS(f"Demo practice {practice}: {summary}."))
        self.stdout.write("Staff logins: .venv/bin/recordaccess demo_logins")
