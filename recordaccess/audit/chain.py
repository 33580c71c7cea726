"""How an audit entry's hash is computed: one function, used by the writer and the verifier.

Entries are signed with HMAC-SHA256 under `settings.AUDIT_KEY`, a key the database never holds: anyone can
recompute a plain hash, so only a keyed one proves the service wrote the entry. Entries written before the
chain was keyed (scheme None) keep their plain SHA-256; they count only as a prefix sealed by a keyed entry
after them (docs/decisions/0004-keyed-audit-chain.md).
"""

import hashlib
import hmac
import json
from datetime import UTC, datetime

from django.conf import settings

GENESIS_HASH = "0" * 64
UNKEYED = None
HMAC_SHA256 = 1


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _sign(message: str) -> str:
    return hmac.new(settings.AUDIT_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


def entry_hash(
    *,
    scheme: int | None,
    prev_hash: str,
    seq: int,
    at: datetime,
    practice_ods: str,
    actor_id: int | None,
    actor: str,
    ip_address: str | None,
    action: str,
    object_type: str,
    object_id: str,
    patient_id: int | None,
    detail: str,
) -> str:
    body = canonical_json(
        [
            seq,
            at.astimezone(UTC).isoformat(timespec="microseconds"),
            practice_ods,
            actor_id,
            actor,
            ip_address,
            action,
            object_type,
            object_id,
            patient_id,
            detail,
        ]
    )
    if scheme is UNKEYED:
        return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()
    if scheme != HMAC_SHA256:
        raise ValueError(f"unknown audit hash scheme {scheme!r}")
    return _sign(f"entry:{scheme}\n{prev_hash}\n{body}")


def checkpoint_signature(*, entries: int, head_hash: str, at: str) -> str:
    """A checkpoint's signature: under the same key, kept apart from entries by its prefix."""
    return _sign(f"checkpoint\n{canonical_json([entries, head_hash, at])}")


def same(a: str, b: str) -> bool:
    """Compare hashes in constant time; bytes, so a stored value with any character is just unequal."""
    return hmac.compare_digest(a.encode(), b.encode())
