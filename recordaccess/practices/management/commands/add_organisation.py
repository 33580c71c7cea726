"""`recordaccess add_organisation --code CODE --name NAME --kind pcn|icb [--parent ICB]`."""

import json

from django.core.management.base import BaseCommand, CommandError

from recordaccess.audit.services import Actor
from recordaccess.practices.models import OrganisationKind
from recordaccess.practices.services import PracticeError, create_organisation


class Command(BaseCommand):
    help = (
        "Add a PCN or an ICB: its observers see its practices' figures side by side (add practices with "
        "organisation_practices, observers with add_organisation_observer). A PCN may name its ICB with --parent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help="The organisation's ODS code, e.g. U12345 or QWE.")
        parser.add_argument("--name", required=True)
        parser.add_argument("--kind", required=True, choices=OrganisationKind.values)
        parser.add_argument("--parent", default="", help="A PCN's ICB, by its ODS code.")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print one JSON object.")

    def handle(self, *args, code, name, kind, parent, as_json, **options):
        try:
            organisation = create_organisation(
                actor=Actor.system("command:add_organisation"),
                code=code,
                name=name,
                kind=kind,
                parent_code=parent,
            )
        except PracticeError as error:
            raise CommandError(str(error), returncode=2) from error
        if as_json:
            self.stdout.write(
                json.dumps(
                    {
                        "code": organisation.code,
                        "name": organisation.name,
                        "kind": organisation.kind,
                        "parent": organisation.parent.code if organisation.parent else None,
                    }
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Added {organisation}, a {organisation.get_kind_display()}.")
            )
