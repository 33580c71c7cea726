"""API tokens and the idempotency keys of requests created through the API."""

from django.db import models
from django.db.models import Q

from recordaccess.practices.models import Organisation, Practice


class Scope(models.TextChoices):
    REQUESTS_WRITE = "requests:write", "Send access requests (as the online form would)"
    REQUESTS_READ = "requests:read", "Read a request's status"
    CODES_READ = "codes:read", "Read the coding worklist (NHS numbers and codes to enter)"
    CODES_WRITE = "codes:write", "Confirm codes entered in the clinical system"
    CAMPAIGNS_READ = "campaigns:read", "Read campaigns' progress (counts only)"
    FIGURES_READ = "figures:read", "Read the dashboard's figures (counts only)"


PRACTICE_SCOPES = frozenset(Scope)
# An organisation sees figures only, never a patient (H112): no scope that reads or changes patients' data.
ORGANISATION_SCOPES = frozenset({Scope.FIGURES_READ})


class ApiToken(models.Model):
    """A secret a system quotes to call the API for one practice or one organisation. Only the secret's SHA-256
    is kept: it is 256 random bits, so no one can guess it from the hash, and a fast hash costs a call nothing.
    The prefix names the token in lists and the audit trail and finds its row; it proves nothing."""

    practice = models.ForeignKey(
        Practice, null=True, blank=True, on_delete=models.CASCADE, related_name="api_tokens"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    secret_sha256 = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.CharField(max_length=150, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(practice__isnull=False) & Q(organisation__isnull=True))
                | (Q(practice__isnull=True) & Q(organisation__isnull=False)),
                name="api_token_practice_or_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def holder_code(self) -> str:
        return self.practice.ods_code if self.practice_id else self.organisation.code


class IdempotencyKey(models.Model):
    """The caller's key for one access request: the same key never creates a second request (a constraint),
    and the first answer is kept to be given again."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    body_sha256 = models.CharField(max_length=64)
    token = models.ForeignKey(ApiToken, null=True, on_delete=models.SET_NULL, related_name="+")
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "key"], name="api_idempotency_key_once_per_practice")
        ]

    def __str__(self) -> str:
        return f"{self.key} at {self.practice_id}"
