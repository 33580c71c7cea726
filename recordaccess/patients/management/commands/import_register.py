"""`recordaccess import_register FILE --practice ODS`: load a register export from EMIS Web or SystmOne."""

import json

from django.core.management.base import BaseCommand, CommandError

from recordaccess.audit.services import Actor
from recordaccess.core.progress import file_progress
from recordaccess.patients.importer import ImportStopped
from recordaccess.patients.register import UnusableFile
from recordaccess.patients.services import ImportBusy, run_register_import
from recordaccess.practices.selectors import practice_by_ods


class Command(BaseCommand):
    help = (
        "Import a register export (CSV from EMIS Web or SystmOne). Rows with an unusable NHS number, surname or "
        "date of birth are rejected; bad contact details are left out with a warning; every problem is in the "
        "report. Exit 0 when the file was processed, 2 when it cannot be used at all."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--practice", required=True, help="ODS code of the practice.")
        parser.add_argument("--mapping", help="TOML file naming columns we do not recognise.")
        parser.add_argument("--report", help="Write the problems report (CSV) here.")
        parser.add_argument("--dry-run", action="store_true", help="Check and count, change nothing.")
        parser.add_argument(
            "--full", action="store_true", help="A full register: mark patients missing from it as left."
        )
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print one JSON object.")

    def handle(self, *args, file, practice, mapping, report, dry_run, full, as_json, **options):
        found = practice_by_ods(practice)
        if found is None:
            raise CommandError(f"No practice with ODS code {practice!r}.", returncode=2)
        with file_progress(file, quiet=as_json) as progress:
            try:
                run, summary = run_register_import(
                    actor=Actor.system("command:import_register"),
                    practice=found,
                    path=file,
                    mapping_path=mapping,
                    full=full,
                    dry_run=dry_run,
                    report_path=report,
                    progress=progress,
                )
            except UnusableFile as error:
                raise CommandError(str(error), returncode=2) from error
            except ImportBusy as error:
                raise CommandError(str(error), returncode=2) from error
            except ImportStopped as error:
                raise CommandError(str(error), returncode=1) from error
        if as_json:
            self.stdout.write(json.dumps(summary.as_dict()))
            return
        figures = ", ".join(f"{value:,} {key}" for key, value in summary.as_dict().items())
        self.stdout.write(
            self.style.SUCCESS(f"{'Checked' if dry_run else 'Imported'} {file} for {found}: {figures}.")
        )
        if summary.rejected or summary.warnings:
            self.stdout.write(
                f"Rejected rows and warnings are in the report (the first 10,000, then counts of the rest): {run.report_path}"
            )
