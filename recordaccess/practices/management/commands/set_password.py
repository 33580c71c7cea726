"""`recordaccess set_password USERNAME`: the operators' way to give an account a new temporary password."""

import getpass
import os

from django.core.management.base import BaseCommand, CommandError

from recordaccess.audit.services import Actor
from recordaccess.practices.services import PracticeError, set_password_by_operator


class Command(BaseCommand):
    help = (
        "Set a new temporary password for a staff account (from RECORDACCESS_PASSWORD or a prompt); tell it to "
        "them in person. Audited in every practice the account belongs to; the holder is emailed. Exit 0 done, "
        "2 no such account or the password is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The username the member of staff signs in with.")

    def handle(self, *args, username, **options):
        password = os.environ.get("RECORDACCESS_PASSWORD")
        if password is None:
            password = getpass.getpass(f"New temporary password for {username}: ")
        try:
            emailed = set_password_by_operator(
                actor=Actor.system("command:set_password"), username=username, password=password
            )
        except PracticeError as error:  # an unknown account, or a password the rules refuse
            raise CommandError(str(error), returncode=2) from error
        self.stdout.write(
            self.style.SUCCESS(f"New temporary password set for {username}: tell it to them in person.")
        )
        self.stdout.write(
            "They have been emailed about it."
            if emailed
            else "Their account has no email address: tell them yourself."
        )
