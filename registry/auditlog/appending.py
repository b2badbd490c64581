"""Appending to the log: compute the entry's hashes and checkpoint, then write them under the sequencer.

One sequencer: appends from every process queue on the single head row, so the log has
no gaps and no two appends are computed from the same tree.
"""

import weakref
from dataclasses import dataclass

import rfc8785
import sqlalchemy as sa

from registry.core.bulk import insert_new
from registry.core.db import UTCDateTime
from registry.extensions import db

from . import keys, tlog
from .models import AuditEntry, AuditEntryAuthority, AuditHash, AuditLogHead
from .verifier import HASH_SIZE, MAX_ENTRY_SIZE, hash_leaf


class EntryTooLarge(ValueError):
    """An entry would not fit in a tile's entry bundle."""


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


@dataclass(frozen=True)
class Append:
    """Everything one append writes: the entry and its signature, new stored hashes, new head."""

    index: int
    entry: bytes
    key_id: str
    signature: bytes
    checkpoint: str
    first_hash_index: int
    hashes: list[bytes]
    frontier: bytes


def prepare_append(
    body: dict, index: int, packed_frontier: bytes, origin: str, log_key: tlog.Signer, entry_key: tlog.Signer
) -> Append:
    """Compute an append at `index` on a tree whose right edge is `packed_frontier`; touch no database."""
    entry = rfc8785.dumps({**body, "index": index})
    if len(entry) > MAX_ENTRY_SIZE:
        raise EntryTooLarge(f"an audit entry of {len(entry)} bytes is over the {MAX_ENTRY_SIZE}-byte limit")
    frontier = _Frontier(index, packed_frontier)
    new_hashes = tlog.stored_hashes_for_record(index, hash_leaf(entry), frontier.read)
    new_frontier = frontier.after_append(new_hashes)
    root = tlog.tree_hash(index + 1, _Frontier(index + 1, new_frontier).read)
    checkpoint = tlog.sign_note(tlog.format_checkpoint(origin, index + 1, root), log_key)
    key_id, signature = tlog.sign_entry(entry, entry_key)
    return Append(index, entry, key_id, signature, checkpoint, tlog.stored_hash_count(index), new_hashes, new_frontier)


def _lock_head(count: int = 1) -> tuple[int, bytes]:
    """Take the next index (and the `count` - 1 after it) and the frontier, locking the head row until the transaction ends.

    Concurrent appends from any number of processes queue here and get consecutive indexes.
    On PostgreSQL, SELECT … FOR UPDATE waits for the row lock and then reads the newest
    committed head; on SQLite, an UPDATE takes the database's single write lock.
    """
    head = AuditLogHead.__table__
    if db.session.get_bind().dialect.name == "postgresql":
        row = db.session.execute(sa.select(head.c.size, head.c.frontier).where(head.c.id == 1).with_for_update()).one()
        return row.size, row.frontier
    row = db.session.execute(
        sa.update(head).where(head.c.id == 1).values(size=head.c.size + count).returning(head.c.size, head.c.frontier)
    ).one()
    return row.size - count, row.frontier


# On PostgreSQL an append is one statement: it moves the head on only if the head is where
# the append was computed for (the row lock makes concurrent appends queue here), and
# writes the entry, its hashes and its authorities only if the head moved.
_POSTGRES_APPEND = sa.text(
    """
    WITH head AS (
        UPDATE audit_log_head SET size = :index + 1, frontier = :frontier
        WHERE id = 1 AND size = :index
        RETURNING id
    ), entry AS (
        INSERT INTO audit_entries (index, entry, key_id, signature, checkpoint, time, action,
                                   actor_user_id, object_type, object_ref)
        SELECT :index, :entry, :key_id, :signature, :checkpoint, :time, :action,
               :actor_user_id, :object_type, :object_ref
        FROM head
    ), hashes AS (
        INSERT INTO audit_hashes (index, hash)
        SELECT :first_hash_index + n, substring(:hashes FROM n * 32 + 1 FOR 32)
        FROM head, generate_series(0, length(:hashes) / 32 - 1) AS n
    ), authorities AS (
        INSERT INTO audit_entry_authorities (entry_index, authority_code)
        SELECT :index, code FROM head, string_to_table(:codes, ' ') AS code WHERE code <> ''
    )
    SELECT count(*) FROM head
    """
).bindparams(sa.bindparam("time", type_=UTCDateTime()))

# The head this process last wrote, per database. On PostgreSQL an append first tries it
# without taking the lock beforehand: one round trip instead of two while this process is
# the only writer. If another process moved the head, the append writes nothing and is
# done again under the lock, so the cache can be stale but never wrong.
_last_head: "weakref.WeakKeyDictionary[object, tuple[int, bytes]]" = weakref.WeakKeyDictionary()


def forget_cached_head() -> None:
    """Forget the last head seen (when the database under an engine was put back, as between tests)."""
    _last_head.clear()


def _try_append_postgres(body: dict, row: dict, head: tuple[int, bytes], log_key, entry_key) -> Append | None:
    """Append at the given head; return None, having written nothing, if the head has moved."""
    index, frontier = head
    append = prepare_append(body, index, frontier, keys.origin(), log_key, entry_key)
    written = db.session.execute(
        _POSTGRES_APPEND,
        {
            **row,
            "index": index,
            "entry": append.entry,
            "key_id": append.key_id,
            "signature": append.signature,
            "checkpoint": append.checkpoint,
            # Plain values rather than arrays: cheaper to send. Codes hold no spaces.
            "first_hash_index": append.first_hash_index,
            "hashes": b"".join(append.hashes),
            "codes": " ".join(body["authorities"]),
            "frontier": append.frontier,
        },
    ).scalar_one()
    if not written:
        return None
    _last_head[db.engine] = (index + 1, append.frontier)
    return append


def _append_postgres(body: dict, row: dict, log_key: tlog.Signer, entry_key: tlog.Signer) -> Append:
    cached = _last_head.get(db.engine)
    if cached is not None:
        append = _try_append_postgres(body, row, cached, log_key, entry_key)
        if append is not None:
            return append
    append = _try_append_postgres(body, row, _lock_head(), log_key, entry_key)
    if append is None:
        raise RuntimeError("the audit log head moved while this transaction held its lock")
    return append


def _append_sqlite(body: dict, row: dict, log_key: tlog.Signer, entry_key: tlog.Signer) -> Append:
    # SQLite runs in this process, so separate statements cost no round trips.
    index, frontier = _lock_head()
    append = prepare_append(body, index, frontier, keys.origin(), log_key, entry_key)
    db.session.execute(
        sa.insert(AuditHash.__table__),
        [{"index": append.first_hash_index + i, "hash": h} for i, h in enumerate(append.hashes)],
    )
    db.session.execute(
        sa.insert(AuditEntry.__table__),
        [{**row, "index": index, "entry": append.entry, "key_id": append.key_id, "signature": append.signature, "checkpoint": append.checkpoint}],
    )
    if body["authorities"]:
        db.session.execute(
            sa.insert(AuditEntryAuthority.__table__),
            [{"entry_index": index, "authority_code": code} for code in body["authorities"]],
        )
    head = AuditLogHead.__table__
    db.session.execute(sa.update(head).where(head.c.id == 1).values(frontier=append.frontier))
    return append


def append(body: dict, row: dict, log_key: tlog.Signer, entry_key: tlog.Signer) -> Append:
    """Append an entry (its fields, and the columns auditors filter by) in the current transaction."""
    if db.session.get_bind().dialect.name == "postgresql":
        return _append_postgres(body, row, log_key, entry_key)
    return _append_sqlite(body, row, log_key, entry_key)


def append_many(items: list[tuple[dict, dict]], log_key: tlog.Signer, entry_key: tlog.Signer) -> list[Append]:
    """Append entries (each its fields and its filter columns, as `append` takes) in order, in the current transaction.

    Each entry is appended exactly as `append` would, with its own hashes, checkpoint and
    signature, one after another on the tree; only the writes are gathered: one lock of the
    head, one multi-row INSERT into each table, one move of the head. On PostgreSQL that is
    five round trips however many entries, where appending each on its own costs one each.
    """
    if not items:
        return []
    first, frontier = _lock_head(len(items))
    origin = keys.origin()
    appends = []
    for offset, (body, _) in enumerate(items):
        appended = prepare_append(body, first + offset, frontier, origin, log_key, entry_key)
        appends.append(appended)
        frontier = appended.frontier
    insert_new(AuditHash.__table__, [
        {"index": appended.first_hash_index + i, "hash": h} for appended in appends for i, h in enumerate(appended.hashes)
    ])
    insert_new(AuditEntry.__table__, [
        {**row, "index": appended.index, "entry": appended.entry, "key_id": appended.key_id,
         "signature": appended.signature, "checkpoint": appended.checkpoint}
        for appended, (_, row) in zip(appends, items)
    ])
    insert_new(AuditEntryAuthority.__table__, [
        {"entry_index": appended.index, "authority_code": code}
        for appended, (body, _) in zip(appends, items) for code in body["authorities"]
    ])
    head = AuditLogHead.__table__
    size = first + len(items)
    # On SQLite the size was moved on when the head was locked; writing it again is harmless.
    db.session.execute(sa.update(head).where(head.c.id == 1).values(size=size, frontier=frontier))
    if db.session.get_bind().dialect.name == "postgresql":
        _last_head[db.engine] = (size, frontier)
    return appends
