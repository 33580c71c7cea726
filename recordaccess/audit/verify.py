"""Checking the audit chain end to end, streaming so it runs in flat memory over millions of entries."""

from dataclasses import dataclass

from recordaccess.audit.chain import GENESIS_HASH, entry_hash
from recordaccess.audit.models import AuditEntry, AuditHead

HASHED_FIELDS = (
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
    broken_at: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify_chain(*, progress=None) -> ChainReport:
    expected_seq = 1
    prev_hash = GENESIS_HASH
    rows = AuditEntry.objects.order_by("seq").values_list(*HASHED_FIELDS, "prev_hash", "hash")
    for row in rows.iterator(chunk_size=5000):
        fields = dict(zip(HASHED_FIELDS, row[: len(HASHED_FIELDS)], strict=True))
        stored_prev, stored_hash = row[len(HASHED_FIELDS) :]
        seq = fields["seq"]
        if seq != expected_seq:
            return ChainReport(expected_seq - 1, expected_seq, f"entry #{expected_seq} is missing")
        if stored_prev != prev_hash:
            return ChainReport(seq - 1, seq, f"entry #{seq} does not follow entry #{seq - 1}")
        if fields["ip_address"] is not None:
            fields["ip_address"] = str(fields["ip_address"])
        if entry_hash(prev_hash=prev_hash, **fields) != stored_hash:
            return ChainReport(seq - 1, seq, f"entry #{seq} was changed after it was written")
        prev_hash = stored_hash
        expected_seq += 1
        if progress is not None:
            progress(seq)
    count = expected_seq - 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq, head.last_hash) != (count, prev_hash):
        if head.last_seq > count:
            return ChainReport(count, count + 1, f"entries #{count + 1} to #{head.last_seq} are missing")
        return ChainReport(count, count, f"the chain's recorded end does not match entry #{count}")
    return ChainReport(count)
