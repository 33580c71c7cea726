"""How an audit entry's hash is computed: one function, used by the writer and the verifier."""

import hashlib
import json
from datetime import UTC, datetime

GENESIS_HASH = "0" * 64


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(
    *,
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
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()
