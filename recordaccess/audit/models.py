"""The append-only, hash-chained audit trail.

Entries are numbered 1, 2, 3… with no gaps, and each one's hash (an HMAC under a key the database does not
hold) covers the previous entry's hash, so changing, adding or removing any entry breaks the chain from that
point, and signed checkpoints kept outside the database name a cut tail (`recordaccess audit_verify`). The
numbers and the latest hash are taken from AuditHead under a row lock, so writers never fork the chain.
Nothing here keeps foreign keys: an audit entry must never change because a user or patient did.
"""

from django.db import models


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove audit entries from the application."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit trail is append-only.")

    def delete(self):
        raise AppendOnlyError("The audit trail is append-only.")


class AuditEntry(models.Model):
    seq = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField(db_index=True)
    practice_ods = models.CharField(max_length=6, blank=True, db_index=True)
    actor_id = models.BigIntegerField(null=True, db_index=True)
    actor = models.CharField(max_length=150, blank=True, help_text="Username, or the system component.")
    ip_address = models.GenericIPAddressField(null=True)
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    patient_id = models.BigIntegerField(null=True, db_index=True)
    detail = models.TextField(blank=True, help_text="Canonical JSON.")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    scheme = models.PositiveSmallIntegerField(
        null=True,
        help_text="How the hash was made: 1 is HMAC-SHA256 with AUDIT_KEY; empty is unkeyed (older).",
    )

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["practice_ods", "-at"], name="audit_practice_at")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} by {self.actor or 'system'}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The audit trail is append-only.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit trail is append-only.")


class AuditHead(models.Model):
    """One row: the last sequence number and hash, locked while an entry is written."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit head at #{self.last_seq}"
