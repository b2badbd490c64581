"""Writing to the audit log: record an entry inside the caller's transaction, and rotate keys.

Every mutating service in the registry ends with `record(...)`. The entry, its signature,
its stored hashes and the new signed checkpoint are written in the caller's transaction,
so they commit or roll back together with the change they describe.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

import rfc8785
import sqlalchemy as sa

from registry.core.db import utcnow
from registry.core.errors import PermissionDenied
from registry.extensions import db

from . import keys, policies, tlog
from .models import AuditEntry, AuditEntryAuthority, AuditHash, AuditLogHead
from .verifier import HASH_SIZE, MAX_ENTRY_SIZE, hash_leaf

FORMAT_VERSION = 1


class EntryTooLarge(ValueError):
    """An entry would not fit in a tile's entry bundle."""


def commitment(text: str | None) -> str | None:
    """Return the SHA-256 of free text, so the log commits to it without holding it.

    The log can never be erased, so a reason or comment stays in its ordinary table and
    the entry carries only this hash, which proves what the text was.
    """
    if text is None:
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rfc3339(moment: datetime) -> str:
    """Return a time in UTC as RFC 3339 with milliseconds, e.g. 2026-11-27T14:05:09.123Z."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _plain(value: Any) -> Any:
    """Turn dates, enums, sets and tuples into JSON values for canonical serialisation."""
    if isinstance(value, datetime):
        return rfc3339(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    return value


class _Frontier:
    """The roots of the complete subtrees making up a tree of `size` entries, as stored hashes.

    Appending entry n and computing the new root need only these, so an append reads
    nothing from the stored-hash table.
    """

    def __init__(self, size: int, packed: bytes) -> None:
        self.size = size
        self.hashes = [packed[i : i + HASH_SIZE] for i in range(0, len(packed), HASH_SIZE)]
        self.by_index: dict[int, bytes] = {}
        start = 0
        levels = [level for level in range(size.bit_length() - 1, -1, -1) if size >> level & 1]
        if len(levels) != len(self.hashes):
            raise RuntimeError(f"the audit log head holds {len(self.hashes)} hashes for size {size}")
        for level, subtree_hash in zip(levels, self.hashes):
            self.by_index[tlog.stored_hash_index(level, start >> level)] = subtree_hash
            start += 1 << level

    def read(self, indexes: list[int]) -> list[bytes]:
        return [self.by_index[index] for index in indexes]

    def after_append(self, new_hashes: list[bytes]) -> bytes:
        """Return the packed frontier once entry `size` is appended with these stored hashes."""
        merged = len(new_hashes) - 1  # the subtrees the new entry completed
        kept = self.hashes[: len(self.hashes) - merged]
        return b"".join([*kept, new_hashes[-1]])


def _lock_head() -> tuple[int, bytes]:
    """Take the next index and the frontier, locking the head row until the transaction ends.

    The UPDATE takes PostgreSQL's row lock and SQLite's write lock in one statement, so
    concurrent appends from any number of processes queue here and get consecutive indexes.
    Callers do this last, just before writing, to hold the lock for as short a time as possible.
    """
    head = AuditLogHead.__table__
    row = db.session.execute(
        sa.update(head).where(head.c.id == 1).values(size=head.c.size + 1).returning(head.c.size, head.c.frontier)
    ).one()
    return row.size - 1, row.frontier


def record(
    actor,
    action: str,
    object_type: str,
    object_ref: Any,
    data: dict | None = None,
    *,
    authorities: Iterable = (),
    acting_for=None,
) -> int:
    """Append a signed entry describing a change to the log, in the current transaction; return its index."""
    log_key = keys.signer("log")
    entry_key = keys.signer("entry")
    keys.ensure_published("log", log_key)
    keys.ensure_published("entry", entry_key)

    actor_fields = dict(actor.audit_actor)
    if acting_for is not None:
        actor_fields["authority"] = acting_for.code
    codes = sorted({getattr(a, "code", a) for a in authorities})
    now = utcnow()
    body = {
        "v": FORMAT_VERSION,
        "time": rfc3339(now),
        "actor": actor_fields,
        "action": action,
        "object": {"type": object_type, "ref": str(object_ref)},
        "authorities": codes,
        "data": _plain(data or {}),
    }
    # Everything that can fail without the lock has been done: take the next index now.
    index, packed_frontier = _lock_head()
    body["index"] = index
    entry = rfc8785.dumps(body)
    if len(entry) > MAX_ENTRY_SIZE:
        raise EntryTooLarge(f"an audit entry of {len(entry)} bytes is over the {MAX_ENTRY_SIZE}-byte limit")

    frontier = _Frontier(index, packed_frontier)
    new_hashes = tlog.stored_hashes_for_record(index, hash_leaf(entry), frontier.read)
    new_frontier = frontier.after_append(new_hashes)
    root = tlog.tree_hash(index + 1, _Frontier(index + 1, new_frontier).read)
    checkpoint = tlog.sign_note(tlog.format_checkpoint(keys.origin(), index + 1, root), log_key)
    key_id, signature = tlog.sign_entry(entry, entry_key)

    first_hash_index = tlog.stored_hash_count(index)
    db.session.execute(
        sa.insert(AuditHash.__table__),
        [{"index": first_hash_index + i, "hash": h} for i, h in enumerate(new_hashes)],
    )
    row = {
        "index": index,
        "entry": entry,
        "key_id": key_id,
        "signature": signature,
        "checkpoint": checkpoint,
        "time": now,
        "action": action,
        "actor_user_id": actor_fields["id"] if actor_fields.get("type") == "user" else None,
        "object_type": object_type,
        "object_ref": str(object_ref)[:100],
    }
    db.session.execute(sa.insert(AuditEntry.__table__), [row])
    if codes:
        db.session.execute(
            sa.insert(AuditEntryAuthority.__table__), [{"entry_index": index, "authority_code": c} for c in codes]
        )
    head = AuditLogHead.__table__
    db.session.execute(sa.update(head).where(head.c.id == 1).values(frontier=new_frontier))
    return index


@dataclass(frozen=True)
class KeyRotation:
    """A new key published in the database, whose private half waits beside the old key's file."""

    purpose: str
    previous_key_id: str
    key_id: str
    pending_file: Path

    def install(self) -> Path:
        """Put the new key in place after the transaction committed; return where the old one went."""
        return keys.install_pending_key(self.purpose, self.pending_file, self.previous_key_id)

    def abandon(self) -> None:
        """Remove the new key's file after the transaction failed."""
        self.pending_file.unlink(missing_ok=True)


def rotate_key(actor, purpose: str) -> KeyRotation:
    """Publish a new key for the purpose and record the rotation, signed by the old keys."""
    if not policies.can_rotate_keys(actor):
        raise PermissionDenied("Only administrators can rotate the audit log's keys.")
    if purpose not in keys.PURPOSES:
        raise ValueError(f"purpose must be one of {keys.PURPOSES}")
    previous = keys.signer(purpose)
    keys.ensure_published(purpose, previous)
    new_signer, pending_file = keys.generate_pending_key(purpose)
    try:
        keys.publish(purpose, new_signer)
        # The entry announcing the new key is signed, and its checkpoint too, by the old keys:
        # whoever trusted the old key can follow the chain to the new one.
        record(
            actor,
            "audit.rotate_key",
            "audit_key",
            new_signer.key_id.hex(),
            {
                "purpose": purpose,
                "previous_key_id": previous.key_id.hex(),
                "key_id": new_signer.key_id.hex(),
                "verifier_key": new_signer.verifier_key,
            },
        )
    except BaseException:
        pending_file.unlink(missing_ok=True)
        raise
    return KeyRotation(purpose, previous.key_id.hex(), new_signer.key_id.hex(), pending_file)
