"""`recordaccess organisation_practices --code CODE [--add ODS ...] [--remove ODS ...]`."""

import json

from django.core.management.base import BaseCommand, CommandError

from recordaccess.audit.services import Actor
from recordaccess.practices.selectors import organisation_by_code, organisation_practices
from recordaccess.practices.services import PracticeError, change_organisation_practices


class Command(BaseCommand):
    help = (
        "Add practices to a PCN or an ICB, or remove them, by ODS code; with neither, list its practices (an ICB's "
        "include its PCNs'). Audited in each practice's trail."
    )

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help="The organisation's ODS code.")
        parser.add_argument("--add", nargs="+", default=[], metavar="ODS")
        parser.add_argument("--remove", nargs="+", default=[], metavar="ODS")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print one JSON object.")

    def handle(self, *args, code, add, remove, as_json, **options):
        organisation = organisation_by_code(code)
        if organisation is None:
            raise CommandError(
                f"No organisation with ODS code {code!r}: add it with add_organisation first.", returncode=2
            )
        try:
            added, removed = change_organisation_practices(
                actor=Actor.system("command:organisation_practices"),
                organisation=organisation,
                add=add,
                remove=remove,
            )
        except PracticeError as error:
            raise CommandError(str(error), returncode=2) from error
        practices = list(organisation_practices(organisation).values_list("ods_code", flat=True))
        if as_json:
            self.stdout.write(
                json.dumps(
                    {"code": organisation.code, "added": added, "removed": removed, "practices": practices}
                )
            )
            return
        if added:
            self.stdout.write(self.style.SUCCESS(f"Added to {organisation}: {', '.join(added)}."))
        if removed:
            self.stdout.write(self.style.SUCCESS(f"Removed from {organisation}: {', '.join(removed)}."))
        self.stdout.write(
            f"{organisation} holds {len(practices)} practices: {', '.join(practices) or 'none yet'}."
        )
