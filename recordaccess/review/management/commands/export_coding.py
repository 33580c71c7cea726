"""`recordaccess export_coding --practice ODS`: the decisions' SNOMED CT codes not yet entered, as CSV."""

import sys

from django.core.management.base import BaseCommand, CommandError

from recordaccess.audit.services import Actor
from recordaccess.core.privatefiles import open_private
from recordaccess.practices.selectors import practice_by_ods
from recordaccess.review import coding


class Command(BaseCommand):
    help = (
        "Write the codes not yet entered in the clinical system as CSV (NHS number, SNOMED CT code, term, date) "
        "for batch entry in EMIS Web or SystmOne, to --output or standard output, and say the export's number. "
        "Once they are entered, `--confirm N` marks that export's codes (and only those) as coded."
    )

    def add_arguments(self, parser):
        parser.add_argument("--practice", required=True, help="ODS code of the practice.")
        parser.add_argument("--output", help="Write the CSV here instead of standard output.")
        parser.add_argument("--confirm", type=int, metavar="N", help="Mark export N's codes as entered.")
        parser.add_argument("--by", default="export_coding", help="Who is exporting or confirming (audited).")

    def handle(self, *args, practice, output, confirm, by, **options):
        found = practice_by_ods(practice)
        if found is None:
            raise CommandError(f"No practice with ODS code {practice!r}.", returncode=2)
        actor = Actor.system(by)
        if confirm is not None:
            try:
                coded = coding.confirm(actor=actor, practice=found, export_id=confirm)
            except coding.CodingError as error:
                raise CommandError(str(error), returncode=2) from error
            self.stderr.write(f"Export {confirm}: {coded} codes marked as entered.")
            return
        batch, text = coding.export(actor=actor, practice=found)
        if output:
            with open_private(output, encoding="utf-8", newline="") as stream:  # NHS numbers and codes
                stream.write(text)
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
        self.stderr.write(
            f"Export {batch.pk}: {batch.rows} codes. When they are entered: "
            f"recordaccess export_coding --practice {found.ods_code} --confirm {batch.pk}"
        )
