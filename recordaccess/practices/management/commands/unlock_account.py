"""`recordaccess unlock_account USERNAME`: the operators' unlock, after too many wrong passwords."""

from django.core.management.base import BaseCommand, CommandError

from recordaccess.audit.services import Actor
from recordaccess.practices.services import UnknownAccount, unlock_account_by_operator


class Command(BaseCommand):
    help = (
        "Unlock a staff account locked after too many wrong passwords, before its 30 minutes are up. Audited in "
        "every practice the account belongs to. Exit 0 done, 2 no such account."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The username the member of staff signs in with.")

    def handle(self, *args, username, **options):
        try:
            unlock_account_by_operator(actor=Actor.system("command:unlock_account"), username=username)
        except UnknownAccount as error:
            raise CommandError(str(error), returncode=2) from error
        self.stdout.write(self.style.SUCCESS(f"{username} is unlocked."))
