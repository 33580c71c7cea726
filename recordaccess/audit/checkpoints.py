"""Signed checkpoints of the audit trail, kept as files outside the database.

A checkpoint records how many entries the trail had and the newest entry's hash, at a time, signed with the
audit key. Someone who can write the database can cut off the newest entries or empty the trail and leave a
chain that checks; they cannot reach this folder or sign a checkpoint, so `audit_verify` names the loss.
"""

import contextlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from recordaccess.audit.chain import checkpoint_signature, same
from recordaccess.core.privatefiles import private_folder


class CheckpointFolderError(Exception):
    """AUDIT_CHECKPOINT_DIR cannot be read or written: nothing can be said about a cut tail."""


@dataclass(frozen=True)
class Checkpoint:
    entries: int
    head_hash: str
    at: datetime
    file: Path

    def describe(self) -> str:
        return f"the checkpoint of {self.at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"

    def as_json(self) -> dict:
        return {"at": self.at.isoformat(), "entries": self.entries, "file": str(self.file)}


def _folder() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def _names() -> list[str]:
    """Checkpoint files, newest first (their names start with the time, in UTC)."""
    try:
        names = os.listdir(_folder())
    except FileNotFoundError:
        return []
    except OSError as error:
        raise CheckpointFolderError(
            f"the checkpoint folder {_folder()} cannot be read: {error.strerror}"
        ) from None
    return sorted((n for n in names if n.endswith(".json") and not n.startswith(".")), reverse=True)


def _read(name: str) -> Checkpoint | None:
    """The checkpoint in this file, or None when it is unreadable or its signature is not ours."""
    path = _folder() / name
    try:
        data = json.loads(path.read_text())
        entries, head_hash, at = int(data["entries"]), str(data["head_hash"]), str(data["at"])
        signature = str(data["signature"])
        when = datetime.fromisoformat(at)
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if not same(signature, checkpoint_signature(entries=entries, head_hash=head_hash, at=at)):
        return None
    return Checkpoint(entries=entries, head_hash=head_hash, at=when, file=path)


def read_checkpoints() -> tuple[Checkpoint | None, list[Path]]:
    """The newest checkpoint with a good signature, and every file whose signature is bad (forged)."""
    valid, forged = [], []
    for name in _names():
        checkpoint = _read(name)
        if checkpoint is None:
            forged.append(_folder() / name)
        else:
            valid.append(checkpoint)
    return max(valid, key=lambda c: (c.at, c.entries), default=None), forged


def newest_checkpoint() -> Checkpoint | None:
    """The newest checkpoint with a good signature, reading no more files than it needs."""
    for name in _names():
        if (checkpoint := _read(name)) is not None:
            return checkpoint
    return None


def write_checkpoint(*, entries: int, head_hash: str) -> Checkpoint:
    """Write one checkpoint: the folder 0700, the file 0600, whole or not at all."""
    folder = _folder()
    now = timezone.now()
    at = now.isoformat()
    body = {
        "entries": entries,
        "head_hash": head_hash,
        "at": at,
        "signature": checkpoint_signature(entries=entries, head_hash=head_hash, at=at),
    }
    path = folder / f"{now.astimezone(UTC):%Y%m%dT%H%M%S.%fZ}-{entries}.json"
    partial = folder / f".{path.name}.partial"
    try:
        private_folder(folder)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, settings.FILE_UPLOAD_PERMISSIONS)
        with os.fdopen(descriptor, "w") as file:
            json.dump(body, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise CheckpointFolderError(
            f"the checkpoint folder {folder} cannot be written: {error.strerror}"
        ) from None
    return Checkpoint(entries=entries, head_hash=head_hash, at=now, file=path)
