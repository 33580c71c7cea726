"""Writing to the audit trail: the one way every part of the service records who did what."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from recordaccess.audit.chain import GENESIS_HASH, HMAC_SHA256, canonical_json, entry_hash
from recordaccess.audit.checkpoints import Checkpoint, newest_checkpoint, write_checkpoint
from recordaccess.audit.models import AuditEntry, AuditHead
from recordaccess.audit.verify import verify_chain
from recordaccess.core.network import client_address


@dataclass(frozen=True)
class Actor:
    """Who did it, taken from a request or named for background work and commands."""

    id: int | None
    name: str
    ip_address: str | None = None

    @classmethod
    def from_request(cls, request) -> "Actor":
        user = getattr(request, "user", None)
        ip = client_address(request) or None
        if user is not None and user.is_authenticated:
            return cls(id=user.pk, name=user.get_username(), ip_address=ip)
        return cls(id=None, name="anonymous", ip_address=ip)

    @classmethod
    def system(cls, name: str) -> "Actor":
        return cls(id=None, name=name)


def _locked_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            AuditHead.objects.create(pk=1, last_seq=0, last_hash=GENESIS_HASH)
    except IntegrityError:
        pass  # another writer created it first
    return AuditHead.objects.select_for_update().get(pk=1)


def record(
    *,
    actor: Actor,
    action: str,
    practice_ods: str = "",
    object_type: str = "",
    object_id: str | int = "",
    patient_id: int | None = None,
    detail: dict | None = None,
) -> AuditEntry:
    """Append one entry. Runs inside the caller's transaction, so the entry lands with the change it records."""
    detail_json = canonical_json(detail) if detail else ""
    with transaction.atomic():
        head = _locked_head()
        fields = {
            "scheme": HMAC_SHA256,
            "seq": head.last_seq + 1,
            "at": timezone.now(),
            "practice_ods": practice_ods or "",
            "actor_id": actor.id,
            "actor": actor.name,
            "ip_address": actor.ip_address,
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "patient_id": patient_id,
            "detail": detail_json,
        }
        digest = entry_hash(prev_hash=head.last_hash, **fields)
        entry = AuditEntry(**fields, prev_hash=head.last_hash, hash=digest)
        entry.save()
        AuditHead.objects.filter(pk=1).update(last_seq=entry.seq, last_hash=digest)
    return entry


def record_request(request, action: str, **kwargs) -> AuditEntry:
    """Record an action taken through the web, by the signed-in staff member (or anonymous visitor)."""
    practice = getattr(request, "practice", None)
    kwargs.setdefault("practice_ods", practice.ods_code if practice else "")
    return record(actor=Actor.from_request(request), action=action, **kwargs)


def changes(before: dict, after: dict) -> dict:
    """The fields that changed, as {field: [old, new]}, for an update's audit detail."""
    return {key: [before.get(key), after.get(key)] for key in after if before.get(key) != after.get(key)}


class CheckpointRefused(Exception):
    """The trail no longer holds what the last checkpoint recorded: a new checkpoint would hide that."""


def take_checkpoint() -> Checkpoint:
    """Sign the trail's length and head into a file outside the database, once what came since the last
    checkpoint checks: a checkpoint never vouches for a trail that was cut or forged."""
    since = newest_checkpoint()
    report = verify_chain(since=since)
    if not report.intact:
        raise CheckpointRefused(f"entry #{report.broken_at}: {report.problem}")
    return write_checkpoint(entries=report.entries, head_hash=report.head_hash)
