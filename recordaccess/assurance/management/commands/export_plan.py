"""`recordaccess export_plan --practice ODS --format pdf|docx|md --output FILE`: the practice plan, the DPIA with
its risk matrix, the readiness checklist and the sweep record, as one file (the plan page's download buttons)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recordaccess.assurance import export
from recordaccess.assurance import plan as plans
from recordaccess.audit.services import Actor
from recordaccess.practices.selectors import practice_by_ods


class Command(BaseCommand):
    help = (
        "Export a practice's plan for online access (its newest version), with its DPIA, readiness checklist "
        "and sweep record, as a PDF, a Word document or Markdown. Exits 2 on an unknown practice or format, or "
        "a file that cannot be written."
    )

    def add_arguments(self, parser):
        parser.add_argument("--practice", required=True, help="ODS code of the practice.")
        parser.add_argument("--format", required=True, help="pdf, docx or md.")
        parser.add_argument("--output", required=True, help="The file to write.")

    def handle(self, *args, practice, format, output, **options):
        fmt = format.strip().lower()
        if fmt not in plans.FORMATS:
            raise CommandError(f"Unknown format {format!r}: choose pdf, docx or md.", returncode=2)
        found = practice_by_ods(practice.strip().upper())
        if found is None:
            raise CommandError(f"No practice with ODS code {practice!r}.", returncode=2)
        path = Path(output)
        if path.is_dir() or not path.parent.is_dir():
            raise CommandError(f"Cannot write {output}: give a file in a folder that exists.", returncode=2)
        plan = plans.latest(found)
        body = export.render(export.build(found, plan), fmt)
        try:
            path.write_bytes(body)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.", returncode=2) from error
        plans.record_export(actor=Actor.system("command:export_plan"), practice=found, plan=plan, fmt=fmt)
        version = f"version {plan.number}" if plan else "no version yet"
        self.stdout.write(self.style.SUCCESS(f"Wrote the plan of {found} ({version}) to {output}."))
