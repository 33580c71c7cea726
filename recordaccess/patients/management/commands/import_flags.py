"""`recordaccess import_flags FILE --practice ODS`: record coded flags from a clinical-system search."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recordaccess.audit.services import Actor, record
from recordaccess.core.privatefiles import open_private
from recordaccess.patients.flags import import_flags
from recordaccess.patients.models import FlagKind
from recordaccess.patients.register import UnusableFile
from recordaccess.patients.services import reports_dir
from recordaccess.practices.selectors import practice_by_ods


class Command(BaseCommand):
    help = (
        "Import flags (NHS number, SNOMED CT code, optional date) from an EMIS Web or SystmOne search. Codes not "
        "in the code list, and NHS numbers not on the register, are reported. Exit 2 when the file cannot be used."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--practice", required=True)
        parser.add_argument("--codes", help="A CSV of extra codes (code,term,kind,source) for this practice.")
        parser.add_argument("--report", help="Write the problems report (CSV) here.")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, file, practice, codes, report, as_json, **options):
        found = practice_by_ods(practice)
        if found is None:
            raise CommandError(f"No practice with ODS code {practice!r}.", returncode=2)
        report_path = Path(report) if report else reports_dir() / f"flags-{found.ods_code}-report.csv"
        try:
            with open_private(report_path, encoding="utf-8", newline="") as stream:
                summary = import_flags(practice=found, path=file, extra_codes=codes, report=stream)
        except UnusableFile as error:
            raise CommandError(str(error), returncode=2) from error
        record(
            actor=Actor.system("command:import_flags"),
            action="flags.import",
            practice_ods=found.ods_code,
            object_type="flags",
            detail={"file": Path(file).name, **summary.as_dict()},
        )
        if as_json:
            self.stdout.write(json.dumps(summary.as_dict()))
            return
        figures = ", ".join(
            f"{value:,} {key}" for key, value in summary.as_dict().items() if key != "patients_by_kind"
        )
        self.stdout.write(self.style.SUCCESS(f"Flags from {file} for {found}: {figures}."))
        self.stdout.write("Patients flagged, by kind (check that none you expect is 0):")
        labels = dict(FlagKind.choices)
        for kind, count in summary.patients_by_kind.items():
            self.stdout.write(f"  {labels[kind]}: {count:,} patient{'' if count == 1 else 's'}")
        if summary.rejected or summary.warnings:
            self.stdout.write(
                f"Rejected rows and warnings are in the report (the first 10,000, then counts of the rest): {report_path}"
            )
