"""Helpers for audit log tests that need the database: recomputing the tree, bypassing the triggers."""

import json
from contextlib import contextmanager

import sqlalchemy as sa

from registry.auditlog.models import APPEND_ONLY_TABLES, AuditEntry, AuditHash
from registry.auditlog.verifier import hash_leaf, root_from_leaf_hashes
from registry.extensions import db


def all_entries() -> list[AuditEntry]:
    """Return every entry, in index order."""
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.index)))


def entry_bodies() -> list[dict]:
    """Return every entry's JSON, parsed, in index order."""
    return [json.loads(entry.entry) for entry in all_entries()]


def recomputed_root() -> bytes:
    """Return the RFC 6962 root computed from the stored entry bytes alone."""
    return root_from_leaf_hashes([hash_leaf(entry.entry) for entry in all_entries()])


def stored_hash_count() -> int:
    """Return how many tree hashes are stored."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditHash))


@contextmanager
def append_only_triggers_off():
    """Let a test act as a database superuser who tampers with the log behind the app's back."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        for table in APPEND_ONLY_TABLES:
            connection.execute(sa.text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        yield connection
        for table in APPEND_ONLY_TABLES:
            connection.execute(sa.text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
    else:
        triggers = connection.execute(
            sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'audit_%'")
        ).all()
        for name, _ in triggers:
            connection.execute(sa.text(f"DROP TRIGGER {name}"))
        yield connection
        for _, sql in triggers:
            connection.execute(sa.text(sql))
    db.session.commit()
