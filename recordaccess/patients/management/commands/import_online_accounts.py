"""`recordaccess import_online_accounts FILE --practice ODS`: record the clinical system's export of patients
registered for online services (NHS number, date registered, proxy access and the proxy's details)."""

import json

from django.core.management.base import BaseCommand, CommandError

from recordaccess.audit.services import Actor
from recordaccess.core.progress import file_progress
from recordaccess.patients.register import UnusableFile
from recordaccess.patients.services import run_online_accounts_import
from recordaccess.practices.selectors import practice_by_ods


class Command(BaseCommand):
    help = (
        "Import online accounts (CSV from EMIS Web or SystmOne: NHS number, date registered for online services, "
        "optional proxy access and proxy details). Rows whose NHS number is not valid or not on the register are "
        "rejected; every problem is in the report. Accounts new to this service are named on the next weekly "
        "sweep. Exit 0 when the file was processed, 2 when it cannot be used at all."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--practice", required=True, help="ODS code of the practice.")
        parser.add_argument("--mapping", help="TOML file naming columns we do not recognise.")
        parser.add_argument("--report", help="Write the problems report (CSV) here.")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print one JSON object.")

    def handle(self, *args, file, practice, mapping, report, as_json, **options):
        found = practice_by_ods(practice)
        if found is None:
            raise CommandError(f"No practice with ODS code {practice!r}.", returncode=2)
        with file_progress(file, quiet=as_json) as progress:
            try:
                run, summary = run_online_accounts_import(
                    actor=Actor.system("command:import_online_accounts"),
                    practice=found,
                    path=file,
                    report_path=report,
                    mapping_path=mapping,
                    progress=progress,
                )
            except UnusableFile as error:
                raise CommandError(str(error), returncode=2) from error
        if as_json:
            self.stdout.write(json.dumps(summary.as_dict()))
            return
        figures = ", ".join(f"{value:,} {key.replace('_', ' ')}" for key, value in summary.as_dict().items())
        self.stdout.write(self.style.SUCCESS(f"Online accounts from {file} for {found}: {figures}."))
        if summary.rejected or summary.warnings:
            self.stdout.write(f"Rejected rows and warnings are in the report: {run.report_path}")
