"""Reading the audit log: checkpoints, entries, proofs, tiles and receipts, all from stored data."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from registry.core.clock import UK_TIME
from registry.core.errors import NotFound, ValidationFailed
from registry.core.lookup import get_or_not_found
from registry.extensions import db

from . import keys, tlog
from .models import AuditEntry, AuditEntryAuthority, AuditHash, AuditLogHead
from .verifier import EMPTY_ROOT, TILE_HEIGHT, TILE_WIDTH, Tile


def log_size() -> int:
    """Return the number of committed entries."""
    return db.session.scalar(sa.select(AuditLogHead.size).where(AuditLogHead.id == 1))


_HASHES = AuditHash.__table__
# A Core statement compiled once: proofs are served at thousands a second (bench/proofs.py).
_READ_HASHES = sa.select(_HASHES.c.index, _HASHES.c.hash).where(_HASHES.c.index.in_(sa.bindparam("indexes", expanding=True)))


def read_hashes(indexes: list[int]) -> list[bytes]:
    """Return the stored hashes at these indexes, in order, with one query; LookupError if any is missing."""
    if not indexes:
        return []
    rows = dict(db.session.execute(_READ_HASHES, {"indexes": indexes}).all())
    missing = [i for i in indexes if i not in rows]
    if missing:
        raise LookupError(f"stored hashes missing at {missing[:5]}")
    return [rows[i] for i in indexes]


def checkpoint_at(size: int) -> str:
    """Return the signed checkpoint of the log at this size."""
    if size == 0:
        # Nothing was ever appended, so nothing was signed yet: sign the empty tree now.
        return tlog.sign_note(tlog.format_checkpoint(keys.origin(), 0, EMPTY_ROOT), keys.signer("log"))
    checkpoint = db.session.scalar(sa.select(AuditEntry.checkpoint).where(AuditEntry.index == size - 1))
    if checkpoint is None:
        raise NotFound(f"The log has no checkpoint at size {size}.")
    return checkpoint


def current_checkpoint() -> str:
    """Return the latest signed checkpoint."""
    return checkpoint_at(log_size())


def _beyond_the_log(field: str) -> ValidationFailed:
    return ValidationFailed.single(field, f"The log has only {log_size()} entries")


def inclusion_proof(index: int, size: int | None = None) -> tuple[int, list[bytes]]:
    """Return (tree size, RFC 6962 inclusion proof) for an entry, at a size (default: now)."""
    size = log_size() if size is None else size
    if not 0 <= index < size:
        raise NotFound(f"The log has no entry {index} at size {size}.")
    try:
        # A size beyond the log needs hashes the log does not have: no extra query to check.
        return size, tlog.prove_record(size, index, read_hashes)
    except LookupError:
        raise _beyond_the_log("size") from None


def consistency_proof(old_size: int, new_size: int | None = None) -> tuple[int, list[bytes]]:
    """Return (new size, RFC 6962 consistency proof) from an older size to a newer one."""
    size = log_size()
    new_size = size if new_size is None else new_size
    if new_size > size:
        raise _beyond_the_log("new")
    if not 0 < old_size <= new_size:
        raise ValidationFailed.single("old", f"The older size must be between 1 and {new_size}")
    try:
        return new_size, tlog.prove_tree(new_size, old_size, read_hashes)
    except LookupError:
        raise _beyond_the_log("new") from None


def receipt(index: int) -> str:
    """Return the C2SP tlog-proof receipt of an entry against the latest checkpoint."""
    size, proof = inclusion_proof(index)
    return tlog.format_receipt(index, proof, checkpoint_at(size))


def entry_by_index(index: int) -> AuditEntry:
    """Return the entry at an index, or raise NotFound."""
    return get_or_not_found(AuditEntry, index, f"The log has no entry {index}.")


def hash_tile(tile: Tile) -> bytes:
    """Return a hash tile's bytes, if the log is big enough to have it; else raise NotFound."""
    last_node = tile.n * TILE_WIDTH + tile.width
    if last_node << (tile.level * TILE_HEIGHT) > log_size():
        raise NotFound("The log does not have that tile yet.")
    return tlog.tile_bytes(tile, read_hashes)


def entry_bundle(tile: Tile) -> bytes:
    """Return an entry bundle's bytes, if the log is big enough to have it; else raise NotFound."""
    first = tile.n * TILE_WIDTH
    if first + tile.width > log_size():
        raise NotFound("The log does not have those entries yet.")
    entries = db.session.scalars(
        sa.select(AuditEntry.entry).where(AuditEntry.index >= first, AuditEntry.index < first + tile.width).order_by(AuditEntry.index)
    )
    return tlog.entry_bundle(entries)


@dataclass(frozen=True)
class EntryFilters:
    """What the auditors' view of the log can be narrowed by."""

    authority: str | None = None
    actor: int | None = None
    action: str | None = None
    object_type: str | None = None
    object_ref: str | None = None
    since: date | None = None
    until: date | None = None


def _uk_day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UK_TIME)


def entry_search(filters: EntryFilters) -> sa.Select:
    """Return a query for entries matching the filters, newest first."""
    statement = sa.select(AuditEntry)
    if filters.authority:
        statement = statement.where(
            AuditEntry.index.in_(
                sa.select(AuditEntryAuthority.entry_index).where(AuditEntryAuthority.authority_code == filters.authority.upper())
            )
        )
    if filters.actor is not None:
        statement = statement.where(AuditEntry.actor_user_id == filters.actor)
    if filters.action:
        statement = statement.where(AuditEntry.action == filters.action)
    if filters.object_type:
        statement = statement.where(AuditEntry.object_type == filters.object_type)
    if filters.object_ref:
        statement = statement.where(AuditEntry.object_ref == filters.object_ref)
    if filters.since:
        statement = statement.where(AuditEntry.time >= _uk_day_start(filters.since))
    if filters.until:
        statement = statement.where(AuditEntry.time < _uk_day_start(filters.until + timedelta(days=1)))
    return statement.order_by(AuditEntry.index.desc())


def actions_in_use() -> list[str]:
    """Return every action that appears in the log, alphabetically."""
    return list(db.session.scalars(sa.select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def authority_codes_in_use() -> list[str]:
    """Return the code of every authority that some entry of the log concerns."""
    return list(db.session.scalars(sa.select(AuditEntryAuthority.authority_code).distinct()))


def object_types_in_use() -> list[str]:
    """Return every object type that appears in the log, alphabetically."""
    return list(db.session.scalars(sa.select(AuditEntry.object_type).distinct().order_by(AuditEntry.object_type)))
