"""`recordaccess add_practice ODS NAME --approach opt_out|opt_in|hybrid`."""

import json

from django.core.management.base import BaseCommand, CommandError

from recordaccess.audit.services import Actor
from recordaccess.practices.models import Approach
from recordaccess.practices.services import PracticeError, create_practice


class Command(BaseCommand):
    help = "Add a practice to this deployment, with an empty DPIA and the default NHS signposting resources."

    def add_arguments(self, parser):
        parser.add_argument(
            "ods_code", help="The practice's ODS code: one letter and five digits, e.g. A81001."
        )
        parser.add_argument("name", help="The practice's name, e.g. 'Riverside Surgery'.")
        parser.add_argument("--approach", choices=Approach.values, default=Approach.OPT_OUT)
        parser.add_argument("--address", default="", help="Address lines separated by commas.")
        parser.add_argument("--phone", default="")
        parser.add_argument("--website", default="")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print one JSON object.")

    def handle(self, *args, ods_code, name, approach, address, phone, website, as_json, **options):
        try:
            practice = create_practice(
                actor=Actor.system("command:add_practice"),
                ods_code=ods_code,
                name=name,
                approach=approach,
                address="\n".join(part.strip() for part in address.split(",") if part.strip()),
                phone=phone,
                website=website,
            )
        except PracticeError as error:
            raise CommandError(str(error), returncode=2) from error
        if as_json:
            self.stdout.write(
                json.dumps({"ods_code": practice.ods_code, "name": practice.name, "approach": approach})
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Added {practice} with the {approach} approach."))
