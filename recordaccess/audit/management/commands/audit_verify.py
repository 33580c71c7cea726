"""`recordaccess audit_verify`: check that no audit entry was changed or removed."""

import json

from django.core.management.base import BaseCommand, CommandError

from recordaccess.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Check the audit trail's hash chain and name the first broken entry. Exits 1 when broken."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print one JSON object.")

    def handle(self, *args, as_json: bool = False, **options):
        report = verify_chain()
        if as_json:
            self.stdout.write(
                json.dumps(
                    {
                        "intact": report.intact,
                        "entries": report.entries,
                        "broken_at": report.broken_at,
                        "problem": report.problem,
                    }
                )
            )
        elif report.intact:
            self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {report.entries} entries checked."))
        if not report.intact:
            raise CommandError(
                f"Audit trail broken at entry #{report.broken_at}: {report.problem}. "
                f"{report.entries} entries before it are intact.",
                returncode=1,
            )
