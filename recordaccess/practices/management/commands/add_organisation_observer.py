"""`recordaccess add_organisation_observer USERNAME --organisation CODE`: let someone see an organisation's figures."""

import getpass
import json
import os

from django.core.management.base import BaseCommand, CommandError

from recordaccess.audit.services import Actor
from recordaccess.practices.models import StaffUser
from recordaccess.practices.selectors import organisation_by_code
from recordaccess.practices.services import (
    PracticeError,
    add_organisation_observer,
    add_organisation_observer_account,
)


class Command(BaseCommand):
    help = (
        "Make a staff account an observer of a PCN or an ICB: its practices' figures side by side, counts only, "
        "and none of the practices' own pages. An existing account is added as it is; a new one needs --email and "
        "a password, from RECORDACCESS_PASSWORD or a prompt (two-factor is set up at the first sign-in)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--organisation", required=True, help="The organisation's ODS code.")
        parser.add_argument("--full-name", default="")
        parser.add_argument("--email", default="", help="Work email address; required for a new account.")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print one JSON object.")

    def handle(self, *args, username, organisation, full_name, email, as_json, **options):
        found = organisation_by_code(organisation)
        if found is None:
            raise CommandError(
                f"No organisation with ODS code {organisation!r}: add it with add_organisation first.",
                returncode=2,
            )
        actor = Actor.system("command:add_organisation_observer")
        existing = StaffUser.objects.filter(username=username).first()
        try:
            if existing is not None:
                created = False
                added = add_organisation_observer(actor=actor, organisation=found, user=existing)
            else:
                if not email:
                    raise PracticeError(
                        "A new account needs --email: they are told there when their account changes."
                    )
                password = os.environ.get("RECORDACCESS_PASSWORD")
                if password is None:
                    password = getpass.getpass(f"Password for {username}: ")
                add_organisation_observer_account(
                    actor=actor,
                    organisation=found,
                    username=username,
                    password=password,
                    email=email,
                    full_name=full_name,
                )
                created = added = True
        except PracticeError as error:
            raise CommandError(str(error), returncode=2) from error
        if as_json:
            self.stdout.write(
                json.dumps(
                    {
                        "username": username,
                        "organisation": found.code,
                        "account_created": created,
                        "added": added,
                    }
                )
            )
        elif added:
            self.stdout.write(self.style.SUCCESS(f"{username} now observes {found}."))
        else:
            self.stdout.write(f"{username} already observes {found}.")
