"""Checking the audit chain end to end, streaming so it runs in flat memory over millions of entries.

Three checks, each naming what it found: every entry follows the one before and is signed with the audit key
(entries from before the chain was keyed count only as a prefix that a signed entry seals); the entries reach
the recorded head of the chain; and the trail still holds what the newest signed checkpoint recorded, so a cut
tail or an emptied table is named even when what is left checks.
"""

from dataclasses import dataclass, field
from pathlib import Path

from recordaccess.audit.chain import GENESIS_HASH, UNKEYED, entry_hash, same
from recordaccess.audit.checkpoints import Checkpoint, read_checkpoints
from recordaccess.audit.models import AuditEntry, AuditHead

HASHED_FIELDS = (
    "scheme",
    "seq",
    "at",
    "practice_ods",
    "actor_id",
    "actor",
    "ip_address",
    "action",
    "object_type",
    "object_id",
    "patient_id",
    "detail",
)


@dataclass(frozen=True)
class ChainReport:
    entries: int
    head_hash: str = GENESIS_HASH
    broken_at: int | None = None
    problem: str = ""
    checkpoint: Checkpoint | None = None
    forged_checkpoints: list[Path] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problem and not self.forged_checkpoints


@dataclass
class _Walk:
    """How far a walk along the chain has got, and the hashes it saw at the entries it was asked to note."""

    count: int
    head_hash: str
    keyed_seen: bool
    watch: dict[int, str | None]
    unkeyed_from: int | None = None
    broken_at: int | None = None
    problem: str = ""


def _walk(walk: _Walk, progress) -> None:
    """Check every entry after `walk.count`, stopping at the first that is wrong."""
    rows = AuditEntry.objects.filter(seq__gt=walk.count).order_by("seq")
    for row in rows.values_list(*HASHED_FIELDS, "prev_hash", "hash").iterator(chunk_size=5000):
        fields = dict(zip(HASHED_FIELDS, row[: len(HASHED_FIELDS)], strict=True))
        stored_prev, stored_hash = row[len(HASHED_FIELDS) :]
        seq = fields["seq"]
        if seq != walk.count + 1:
            walk.broken_at, walk.problem = walk.count + 1, f"entry #{walk.count + 1} is missing"
            return
        walk.broken_at = seq
        if stored_prev != walk.head_hash:
            walk.problem = f"entry #{seq} does not follow entry #{seq - 1}"
            return
        if fields["ip_address"] is not None:
            fields["ip_address"] = str(fields["ip_address"])
        keyed = fields["scheme"] is not UNKEYED
        if not keyed and walk.keyed_seen:
            walk.problem = (
                f"entry #{seq} was forged: it is not signed with the audit key, though entries before are"
            )
            return
        if not same(entry_hash(prev_hash=walk.head_hash, **fields), stored_hash):
            walk.problem = f"entry #{seq} was changed after it was written"
            if keyed:
                walk.problem += ", or forged: it is not signed with the audit key"
                if not walk.keyed_seen:
                    walk.problem += " (or AUDIT_KEY is not the key the trail was written with)"
            return
        walk.broken_at = None
        if keyed:
            walk.keyed_seen, walk.unkeyed_from = True, None
        elif walk.unkeyed_from is None:
            walk.unkeyed_from = seq
        walk.count, walk.head_hash = seq, stored_hash
        if seq in walk.watch:
            walk.watch[seq] = stored_hash
        if progress is not None:
            progress(seq)
    if walk.unkeyed_from is not None:
        walk.broken_at = walk.unkeyed_from
        walk.problem = (
            f"entries #{walk.unkeyed_from} to #{walk.count} are not signed with the audit key, and no signed entry"
            " after them seals them"
        )


def _against(walk: _Walk, checkpoint: Checkpoint) -> None:
    """Name a trail that no longer holds what the checkpoint recorded."""
    if walk.count < checkpoint.entries:
        walk.broken_at = walk.count + 1
        walk.problem = f"the trail ends at entry #{walk.count} but {checkpoint.describe()} recorded {checkpoint.entries} entries"
    elif not same(walk.watch.get(checkpoint.entries) or "", checkpoint.head_hash):
        walk.broken_at = checkpoint.entries
        walk.problem = (
            f"the head hash differs from {checkpoint.describe()}: entry #{checkpoint.entries} is not the entry it"
            " recorded, so the trail was cut and written over, or rewritten, after it"
        )


def _resume_after(walk: _Walk, since: Checkpoint) -> None:
    """Start after the entry a checkpoint recorded as the head, or name why that entry is not there any more."""
    start = AuditEntry.objects.filter(seq=since.entries).values_list("hash", "scheme").first()
    if start is not None and same(start[0], since.head_hash):
        walk.count, walk.head_hash, walk.keyed_seen = since.entries, since.head_hash, start[1] is not UNKEYED
        walk.watch[since.entries] = since.head_hash
        return
    if start is None:
        last = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        walk.count = min(last, since.entries - 1)
    else:
        walk.count, walk.watch[since.entries] = since.entries, start[0]
    _against(walk, since)


def verify_chain(*, since: Checkpoint | None = None, progress=None) -> ChainReport:
    """Check the whole trail against the newest checkpoint; with `since`, only what came after that checkpoint."""
    checkpoint, forged = (since, []) if since is not None else read_checkpoints()
    # The head first: the entries it counts were committed with it, so writers carrying on are never a gap.
    head = AuditHead.objects.filter(pk=1).values_list("last_seq", "last_hash").first()
    walk = _Walk(0, GENESIS_HASH, keyed_seen=False, watch={0: GENESIS_HASH})
    if head is not None:
        walk.watch.setdefault(head[0], None)
    if checkpoint is not None:
        walk.watch.setdefault(checkpoint.entries, None)
    if since is not None and since.entries > 0:
        _resume_after(walk, since)
    if not walk.problem:
        _walk(walk, progress)
    if not walk.problem and head is not None:
        if walk.count < head[0]:
            walk.broken_at, walk.problem = (
                walk.count + 1,
                f"entries #{walk.count + 1} to #{head[0]} are missing",
            )
        elif walk.watch.get(head[0]) != head[1]:
            walk.broken_at, walk.problem = (
                head[0],
                f"the chain's recorded end does not match entry #{head[0]}",
            )
    if not walk.problem and checkpoint is not None:
        _against(walk, checkpoint)
    if not walk.problem and forged:
        names = ", ".join(path.name for path in forged)
        walk.problem = f"checkpoint {names} has a bad signature: forged, or signed with another key"
    return ChainReport(walk.count, walk.head_hash, walk.broken_at, walk.problem, checkpoint, forged)
