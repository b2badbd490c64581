"""The audit log's tables: entries, the tree's stored hashes, published keys, and the log head.

Entries, hashes and keys are append-only: the migrations add triggers that refuse UPDATE and
DELETE on both databases. The head is the sequencer's single row; it holds only what can be
recomputed from the entries, so tampering with it is caught by verification.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from registry.core.db import UTCDateTime, utcnow
from registry.extensions import db

APPEND_ONLY_TABLES = ("audit_entries", "audit_hashes", "audit_keys", "audit_entry_authorities")


class AuditEntry(db.Model):
    """One signed entry, stored as the exact canonical JSON bytes that were hashed and signed.

    The other columns repeat facts from the entry so auditors can filter the log; they are
    never used to verify it.
    """

    __tablename__ = "audit_entries"

    index: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True, autoincrement=False)
    entry: Mapped[bytes] = mapped_column(sa.LargeBinary)
    key_id: Mapped[str] = mapped_column(sa.String(8))
    signature: Mapped[bytes] = mapped_column(sa.LargeBinary)
    # The signed checkpoint of the tree that ends with this entry.
    checkpoint: Mapped[str] = mapped_column(sa.Text)
    time: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    actor_user_id: Mapped[int | None] = mapped_column(index=True)
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_ref: Mapped[str] = mapped_column(sa.String(100))

    __table_args__ = (
        sa.Index("ix_audit_entries_object", "object_type", "object_ref"),
        # Entries arrive in time order, so on PostgreSQL a BRIN index (a few pages, almost
        # free to maintain) finds a date range as well as a B-tree would.
        sa.Index("ix_audit_entries_time", "time", postgresql_using="brin"),
    )


class AuditEntryAuthority(db.Model):
    """An authority an entry concerns, so a council's officers and auditors can filter by it."""

    __tablename__ = "audit_entry_authorities"

    entry_index: Mapped[int] = mapped_column(sa.BigInteger, sa.ForeignKey("audit_entries.index"), primary_key=True)
    authority_code: Mapped[str] = mapped_column(sa.String(20), primary_key=True, index=True)


class AuditHash(db.Model):
    """One of the tree's stored hashes, at its index in Go's sumdb/tlog layout (about 2 per entry)."""

    __tablename__ = "audit_hashes"

    index: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(sa.LargeBinary)


class AuditKey(db.Model):
    """A published verifier key: the log's checkpoint keys and the entry-signing keys, old and new."""

    __tablename__ = "audit_keys"
    __table_args__ = (sa.CheckConstraint("purpose IN ('log', 'entry')", name="known_purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(sa.String(10))
    key_id: Mapped[str] = mapped_column(sa.String(8))
    verifier_key: Mapped[str] = mapped_column(sa.Text, unique=True)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditLogHead(db.Model):
    """The sequencer: one row, locked by every append, with the tree's right edge and latest checkpoint."""

    __tablename__ = "audit_log_head"
    __table_args__ = (sa.CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    size: Mapped[int] = mapped_column(sa.BigInteger)
    # The roots of the complete subtrees that make up the tree, largest first: enough to
    # append the next entry and compute the new root without reading any stored hash.
    frontier: Mapped[bytes] = mapped_column(sa.LargeBinary)


class AuditWitness(db.Model):
    """What the registry knows of one witness in its policy: the size it last cosigned, and when it last answered."""

    __tablename__ = "audit_witnesses"

    name: Mapped[str] = mapped_column(sa.String(100), primary_key=True)  # its name in the policy
    size: Mapped[int] = mapped_column(sa.BigInteger, default=0)  # the latest size the witness holds for this log
    last_cosigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_problem: Mapped[str | None] = mapped_column(sa.Text)


class AuditCosignature(db.Model):
    """A witness's cosignature line on the log's checkpoint at one size, as the witness returned it."""

    __tablename__ = "audit_cosignatures"
    __table_args__ = (sa.UniqueConstraint("size", "witness_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    size: Mapped[int] = mapped_column(sa.BigInteger, index=True)
    witness_name: Mapped[str] = mapped_column(sa.String(100))
    line: Mapped[str] = mapped_column(sa.Text)
    cosigned_at: Mapped[datetime] = mapped_column(UTCDateTime)
