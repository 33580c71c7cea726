"""`recordaccess audit_checkpoint`: sign the audit trail's length and head into a file outside the database."""

import json

from django.core.management.base import BaseCommand, CommandError

from recordaccess.audit.checkpoints import CheckpointFolderError
from recordaccess.audit.services import CheckpointRefused, take_checkpoint


class Command(BaseCommand):
    help = (
        "Write a signed checkpoint (entry count, head hash, time) to AUDIT_CHECKPOINT_DIR. "
        "Exits 1, writing nothing, when the trail no longer holds what the last checkpoint recorded; 2 when "
        "the folder cannot be used."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print one JSON object.")

    def handle(self, *args, as_json: bool = False, **options):
        try:
            checkpoint = take_checkpoint()
        except CheckpointRefused as refusal:
            if as_json:
                self.stdout.write(json.dumps({"written": False, "problem": str(refusal)}))
            raise CommandError(
                f"No checkpoint written: the trail is broken at {refusal}. Run `recordaccess audit_verify`.",
                returncode=1,
            ) from None
        except CheckpointFolderError as error:
            raise CommandError(f"No checkpoint written: {error}.", returncode=2) from None
        if as_json:
            self.stdout.write(
                json.dumps({"written": True, **checkpoint.as_json(), "head_hash": checkpoint.head_hash})
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Checkpoint written: {checkpoint.entries} entries, to {checkpoint.file}.")
            )
