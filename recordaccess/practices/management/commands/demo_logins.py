"""`recordaccess demo_logins`: the demo staff accounts, with their authenticator keys and current codes."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from recordaccess.practices import demo


class Command(BaseCommand):
    help = "Print the demo staff logins: username, password, authenticator key and the current 6-digit code."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Demo logins are not available in production.", returncode=2)
        practice = demo.demo_practice()
        if practice is None:
            self.stdout.write("No demo practice yet: run `recordaccess demo`.")
            return
        self.stdout.write(f"\nDemo logins for {practice} — sign in at http://127.0.0.1:8000/staff/\n")
        for account in demo.DEMO_ACCOUNTS:
            secret = account.totp_secret
            code = TOTP(bytes.fromhex(account.totp_key_hex)).token()
            self.stdout.write(
                f"  {account.role.label}\n"
                f"    username  {account.username}\n"
                f"    password  {account.password}\n"
                f"    code now  {code:06d}\n"
                f"    app key   {' '.join(secret[i : i + 4] for i in range(0, len(secret), 4))}\n"
                f"    app link  otpauth://totp/recordaccess:{account.username}?secret={secret}&issuer=recordaccess\n"
            )
        left = 30 - int(time.time()) % 30
        self.stdout.write(
            f"Codes change every 30 seconds (this one for {left} more). Add an app key to an authenticator app, "
            "or run `.venv/bin/recordaccess demo_logins` again for a fresh code.\n"
        )
