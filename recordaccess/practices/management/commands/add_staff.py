"""`recordaccess add_staff USERNAME --practice ODS --role ROLE`: give someone a role at a practice."""

import getpass
import os

from django.core.management.base import BaseCommand, CommandError

from recordaccess.audit.services import Actor
from recordaccess.practices.models import StaffUser
from recordaccess.practices.roles import Role
from recordaccess.practices.selectors import practice_by_ods
from recordaccess.practices.services import PracticeError, add_staff_member, add_to_practice_by_operator


class Command(BaseCommand):
    help = (
        "Add a member of staff to a practice. A new account needs --email (they are told there when their "
        "account changes) and a password, from RECORDACCESS_PASSWORD or a prompt; two-factor is set up at their "
        "first sign-in. An existing account is added as it is (the operators' route; administrators invite "
        "instead), audited in each of its practices and its holder emailed."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--practice", required=True, help="ODS code of the practice.")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--full-name", default="")
        parser.add_argument("--email", default="", help="Work email address; required for a new account.")

    def handle(self, *args, username, practice, role, full_name, email, **options):
        found = practice_by_ods(practice)
        if found is None:
            raise CommandError(
                f"No practice with ODS code {practice!r}: add it with add_practice first.", returncode=2
            )
        actor = Actor.system("command:add_staff")
        existing = StaffUser.objects.filter(username=username).first()
        try:
            if existing is not None:
                add_to_practice_by_operator(actor=actor, practice=found, user=existing, role=role)
            else:
                if not email:
                    raise PracticeError(
                        "A new account needs --email: they are told there when their account changes."
                    )
                password = os.environ.get("RECORDACCESS_PASSWORD")
                if password is None:
                    password = getpass.getpass(f"Password for {username}: ")
                add_staff_member(
                    actor=actor,
                    practice=found,
                    username=username,
                    role=role,
                    password=password,
                    full_name=full_name,
                    email=email,
                )
        except PracticeError as error:
            raise CommandError(str(error), returncode=2) from error
        self.stdout.write(self.style.SUCCESS(f"{username} is now {Role(role).label} at {found}."))
