"""`recordaccess reset_two_factor USERNAME`: the operators' reset, for an account no one administrator may reset."""

from django.core.management.base import BaseCommand, CommandError

from recordaccess.audit.services import Actor
from recordaccess.practices.services import UnknownAccount, reset_two_factor_by_operator


class Command(BaseCommand):
    help = (
        "Reset a staff account's two-factor sign-in: its authenticator app stops working and the next sign-in "
        "sets one up again. For an account that belongs to practices no one administrator runs all of. Audited in "
        "every practice the account belongs to; the holder is emailed. Exit 0 done, 2 no such account."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The username the member of staff signs in with.")

    def handle(self, *args, username, **options):
        try:
            emailed = reset_two_factor_by_operator(
                actor=Actor.system("command:reset_two_factor"), username=username
            )
        except UnknownAccount as error:
            raise CommandError(str(error), returncode=2) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Two-factor reset for {username}: they set up their app at their next sign-in."
            )
        )
        self.stdout.write(
            "They have been emailed about it."
            if emailed
            else "Their account has no email address: tell them yourself."
        )
