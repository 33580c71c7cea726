"""`recordaccess demo_logins`: the demo staff accounts, with their authenticator keys and current codes."""

from base64 import b32encode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django_otp.oath import TOTP

from recordaccess.practices import demo

LOAD = "run `.venv/bin/recordaccess demo`"


class Command(BaseCommand):
    help = "Print the demo staff logins: username, password, authenticator key and the current 6-digit code."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("Demo logins are not available in production.", returncode=2)
        practice = demo.demo_practice()
        if practice is None:
            self.stdout.write(f"No demo practice yet: {LOAD} to load it.")
            return
        sign_in = f"{settings.PUBLIC_BASE_URL}{reverse(settings.LOGIN_URL)}"
        self.stdout.write(f"\nDemo logins for {practice}: sign in at {sign_in}\n")
        codes_shown = False
        for account in demo.DEMO_ACCOUNTS:
            lines = [account.role.label, f"  username  {account.username}"]
            device = demo.demo_device(practice=practice, account=account)
            if device is None:
                lines.append(f"  not set up in this practice: {LOAD} to add it")
            else:
                lines += self._code_lines(account, device)
                codes_shown = True
            self.stdout.write("".join(f"  {line}\n" for line in lines) + "\n")
        organisation = demo.demo_organisation()
        if organisation is not None:
            account = demo.DEMO_ORGANISATION_ACCOUNT
            lines = [
                f"Observer of {organisation} (every practice side by side)",
                f"  username  {account.username}",
            ]
            device = demo.demo_organisation_device()
            if device is None:
                lines.append(f"  not set up for this organisation: {LOAD} to add it")
            else:
                lines += self._code_lines(account, device)
                codes_shown = True
            self.stdout.write("".join(f"  {line}\n" for line in lines) + "\n")
        if codes_shown:
            self.stdout.write(
                "Codes change every 30 seconds and each works once: run `.venv/bin/recordaccess demo_logins` "
                "again for a fresh one, or add the app key to an authenticator app (the keys stay the same "
                "when the demo is loaded again).\n"
            )

    @staticmethod
    def _code_lines(account, device) -> list[str]:
        # The device's own settings, so the code is the one the server accepts now.
        code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
        secret = b32encode(device.bin_key).decode()
        return [
            f"  password  {account.password}",
            f"  code now  {code:0{device.digits}d}",
            f"  app key   {' '.join(secret[i : i + 4] for i in range(0, len(secret), 4))}",
            f"  app link  {device.config_url}",
        ]
