"""`recordaccess audit_verify`: check that no audit entry was changed, forged or removed."""

import json
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from recordaccess.audit.checkpoints import CheckpointFolderError
from recordaccess.audit.verify import verify_chain


class Command(BaseCommand):
    help = (
        "Check the audit trail's keyed hash chain, then against the newest signed checkpoint; name the first "
        "broken entry, a cut tail or a forged checkpoint. Exits 1 when not intact, 2 when the checkpoints cannot be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print one JSON object.")

    def handle(self, *args, as_json: bool = False, **options):
        try:
            report = verify_chain()
        except CheckpointFolderError as error:
            raise CommandError(f"Cannot check the audit trail: {error}.", returncode=2) from None
        checkpoint = report.checkpoint
        if as_json:
            self.stdout.write(
                json.dumps(
                    {
                        "intact": report.intact,
                        "entries": report.entries,
                        "broken_at": report.broken_at,
                        "problem": report.problem,
                        "checkpoint": checkpoint.as_json() if checkpoint else None,
                        "forged_checkpoints": [str(path) for path in report.forged_checkpoints],
                    }
                )
            )
        elif report.intact:
            self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {report.entries} entries checked."))
            if checkpoint is None:
                self.stdout.write(
                    self.style.WARNING(
                        "No checkpoint yet, so a cut tail could not be seen: run `recordaccess audit_checkpoint`."
                    )
                )
            else:
                self.stdout.write(f"It holds the {checkpoint.entries} entries of {checkpoint.describe()}.")
                age = timezone.now() - checkpoint.at
                if age > timedelta(seconds=2 * settings.AUDIT_CHECKPOINT_SECONDS):
                    self.stdout.write(
                        self.style.WARNING(
                            f"That checkpoint is {age.total_seconds() / 3600:.1f} hours old: is a worker running? "
                            "Entries written since then are not covered by any checkpoint."
                        )
                    )
        if report.intact:
            return
        if report.broken_at is None:
            message = f"Audit trail not intact: {report.problem}."
        else:
            message = (
                f"Audit trail broken at entry #{report.broken_at}: {report.problem}. "
                f"{report.entries} entries before it are intact."
            )
        if report.forged_checkpoints and report.broken_at is not None:
            names = ", ".join(path.name for path in report.forged_checkpoints)
            message += f" Checkpoint {names} has a bad signature: forged, or signed with another key."
        raise CommandError(message, returncode=1)
