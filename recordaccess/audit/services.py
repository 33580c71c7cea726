"""Writing to the audit trail: the one way every part of the service records who did what."""

from contextlib import contextmanager
from contextvars import ContextVar
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


# The entries recorded inside `appended_at_the_end()`, waiting for its end; None outside one. Per thread and task.
_waiting: ContextVar[list[AuditEntry] | None] = ContextVar("audit_entries_waiting", default=None)

HASHED = (  # what entry_hash takes besides prev_hash
    *("scheme", "seq", "at", "practice_ods", "actor_id", "actor", "ip_address", "action", "object_type"),
    *("object_id", "patient_id", "detail"),
)


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
    """Append one entry. Runs inside the caller's transaction, so the entry lands with the change it records;
    inside `appended_at_the_end()`, at that block's end (still inside the transaction)."""
    entry = AuditEntry(
        scheme=HMAC_SHA256,
        practice_ods=practice_ods or "",
        actor_id=actor.id,
        actor=actor.name,
        ip_address=actor.ip_address,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        patient_id=patient_id,
        detail=canonical_json(detail) if detail else "",
    )
    waiting = _waiting.get()
    if waiting is not None:
        waiting.append(entry)
    else:
        _append([entry])
    return entry


@contextmanager
def appended_at_the_end():
    """For a transaction that records early and then works on: the entries recorded in the block are chained
    together as the block ends, still inside the transaction, so they land with the change or not at all.

    Chaining locks the trail's head until the transaction ends, and every writer of the audit trail waits for it
    (every staff page view is one). Recorded early in a long transaction, as a request sent from the online form
    is, the head stayed locked while it was matched, placed on the list and acknowledged: under load every staff
    page waited behind each patient's send (benchmarks/results.md). Ended with an error, nothing is recorded, as
    the transaction's own rollback would have done. Nested, the outermost block appends."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "appended_at_the_end() is for inside a transaction: outside one, record() appends at once"
        )
    if _waiting.get() is not None:
        yield
        return
    waiting: list[AuditEntry] = []
    token = _waiting.set(waiting)
    try:
        yield
    finally:
        _waiting.reset(token)
    if waiting:
        _append(waiting)


def _append(entries: list[AuditEntry]) -> None:
    """Chain the entries onto the trail in order, under the head's lock, with the moment they were appended."""
    with transaction.atomic():
        head = _locked_head()
        now = timezone.now()
        seq, last_hash = head.last_seq, head.last_hash
        for entry in entries:
            seq += 1
            entry.seq, entry.at, entry.prev_hash = seq, now, last_hash
            fields = {name: getattr(entry, name) for name in HASHED}
            entry.hash = last_hash = entry_hash(prev_hash=entry.prev_hash, **fields)
            entry.save()
        AuditHead.objects.filter(pk=1).update(last_seq=seq, last_hash=last_hash)


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
