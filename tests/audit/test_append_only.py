"""The database itself refuses to change or remove anything in the log's tables."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from registry.auditlog.models import APPEND_ONLY_TABLES
from registry.extensions import db
from tests.factories import make_authority, make_user


@pytest.fixture
def logged(app):
    council = make_authority(code="LDS")
    make_user(memberships={council: "approver"})  # entries, hashes, keys, entry authorities


KEY_COLUMN = {
    "audit_entries": "action",
    "audit_entry_authorities": "authority_code",
    "audit_hashes": "hash",
    "audit_keys": "purpose",
}


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_updates_are_refused(logged, table):
    column = KEY_COLUMN[table]
    value = "'x'" if column != "hash" else ("X'00'" if db.engine.dialect.name == "sqlite" else "'\\x00'::bytea")
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(sa.text(f"UPDATE {table} SET {column} = {value}"))
    db.session.rollback()


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_deletes_are_refused(logged, table):
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(sa.text(f"DELETE FROM {table}"))
    db.session.rollback()
    assert db.session.scalar(sa.text(f"SELECT count(*) FROM {table}")) > 0


def test_truncate_is_refused_on_postgresql(logged):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE statement; DELETE is covered above")
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(sa.text("TRUNCATE audit_entries CASCADE"))
    db.session.rollback()
