"""API tokens: making one (its secret shown once), revoking it, and knowing it again from what a caller quotes.

A token reads `ra_<prefix>_<secret>`: the prefix (8 characters) finds the row and names the token in lists and the
audit trail; the secret is 32 random bytes. Only SHA-256 of the whole token is stored: with 256 random bits there
is nothing to guess, so a slow password hash would add nothing but a cost on every call.
"""

import datetime
import hashlib
import hmac
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from recordaccess.api.models import ORGANISATION_SCOPES, PRACTICE_SCOPES, ApiToken, Scope
from recordaccess.audit.services import Actor, record
from recordaccess.core.errors import DomainError

MAX_DAYS = 365
PREFIX_LENGTH = 8


class TokenError(DomainError):
    """A token that cannot be made or revoked as asked, in words for the person asking."""


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _audit(actor: Actor, token: ApiToken, action: str, detail: dict | None = None) -> None:
    record(
        actor=actor,
        action=action,
        practice_ods=token.practice.ods_code if token.practice_id else "",
        object_type="api_token",
        object_id=token.pk,
        detail={"prefix": token.prefix, "name": token.name}
        | ({"organisation": token.organisation.code} if token.organisation_id else {})
        | (detail or {}),
    )


def create_token(
    *,
    actor: Actor,
    name: str,
    scopes: list[str],
    days: int,
    practice=None,
    organisation=None,
) -> tuple[ApiToken, str]:
    """Make a token for a practice or an organisation. Returns it and the secret, which is never shown again."""
    problems: list[tuple[str | None, str]] = []
    if (practice is None) == (organisation is None):
        problems.append((None, "A token is for one practice or one organisation"))
    name = " ".join((name or "").split())
    if not name:
        problems.append(("name", "Enter a name for the token, like the system that will use it"))
    elif len(name) > 100:
        problems.append(("name", "Name must be 100 characters or fewer"))
    allowed = ORGANISATION_SCOPES if organisation is not None else PRACTICE_SCOPES
    chosen = sorted(set(scopes or []))
    if not chosen:
        problems.append(("scopes", "Choose at least one thing the token may do"))
    unknown = [s for s in chosen if s not in {str(a) for a in allowed}]
    if unknown:
        what = "an organisation's token" if organisation is not None else "a practice's token"
        problems.append(
            ("scopes", f"Not a scope {what} may have: {', '.join(unknown)} (allowed: {_names(allowed)})")
        )
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        problems.append(("days", f"Expiry must be between 1 and {MAX_DAYS} days"))
    if problems:
        raise TokenError(errors=problems)
    with transaction.atomic():
        for _ in range(5):
            prefix = secrets.token_hex(PREFIX_LENGTH // 2)
            raw = f"ra_{prefix}_{secrets.token_urlsafe(32)}"
            try:
                with transaction.atomic():
                    token = ApiToken.objects.create(
                        practice=practice,
                        organisation=organisation,
                        name=name,
                        prefix=prefix,
                        secret_sha256=_digest(raw),
                        scopes=chosen,
                        created_by=actor.name,
                        expires_at=timezone.now() + datetime.timedelta(days=days),
                    )
                break
            except IntegrityError:
                continue
        else:
            raise RuntimeError("Could not make a unique token prefix")
        _audit(
            actor, token, "api_token.create", {"scopes": chosen, "expires_at": token.expires_at.isoformat()}
        )
    return token, raw


def _names(scopes) -> str:
    return ", ".join(sorted(str(s) for s in scopes))


@transaction.atomic
def revoke_token(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Stop a token working from now on. Revoking it again changes nothing and says so."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise TokenError(f"Token {token.prefix} was revoked by {token.revoked_by} already.")
    token.revoked_at, token.revoked_by = timezone.now(), actor.name
    token.save(update_fields=["revoked_at", "revoked_by"])
    _audit(actor, token, "api_token.revoke")
    return token


def token_for(raw: str) -> ApiToken | None:
    """The live token a caller quoted, or None for one unknown, mistyped, expired or revoked (the caller is not
    told which). Notes when it was last used, at most once a minute."""
    parts = (raw or "").split("_", 2)
    if len(parts) != 3 or parts[0] != "ra" or len(parts[1]) != PREFIX_LENGTH:
        return None
    token = ApiToken.objects.select_related("practice", "organisation").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.secret_sha256, _digest(raw)):
        return None
    now = timezone.now()
    if token.revoked_at is not None or token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def has_scope(token: ApiToken, scope: Scope) -> bool:
    """Whether the token may do this; an organisation's token never gains a patient scope, whatever its row says."""
    allowed = ORGANISATION_SCOPES if token.organisation_id else PRACTICE_SCOPES
    return scope in allowed and str(scope) in token.scopes
