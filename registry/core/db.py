"""Portable column types, and the engine settings both databases need (the declarative base is in extensions.py)."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

class UTCDateTime(sa.TypeDecorator):
    """A timestamp stored as naive UTC and always returned as an aware UTC datetime.

    SQLite has no time zones; storing naive UTC on both engines keeps comparisons and
    ordering identical, and refusing naive input stops local times slipping in.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def postgresql_only(index: sa.Index) -> sa.Index:
    """Mark an index that exists only on PostgreSQL (say, a full-text index), for DDL and for migrations.

    Alembic cannot compare expression indexes with the models, so such an index is left out
    of that comparison; tests/core/test_migrations.py checks it exists by name instead.
    """
    index.info["dialects"] = ("postgresql",)
    return index.ddl_if(dialect="postgresql")


def partial_index(name: str, *columns: str, where: str, unique: bool = False) -> sa.Index:
    """Return an index of only the rows the condition selects, the same on SQLite and PostgreSQL."""
    return sa.Index(name, *columns, unique=unique, sqlite_where=sa.text(where), postgresql_where=sa.text(where))


def compared_on(schema_object, dialect_name: str) -> bool:
    """Return whether migrations compare this object with the database (not database-specific ones)."""
    return not getattr(schema_object, "info", {}).get("dialects")


def postgresql_only_indexes(metadata: sa.MetaData) -> list[str]:
    """Return the names of the indexes that exist only on PostgreSQL."""
    return [index.name for table in metadata.tables.values() for index in table.indexes if index.info.get("dialects")]


def utcnow() -> datetime:
    """Return the current time, aware, in UTC."""
    return datetime.now(UTC)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record):
    """Turn on foreign keys, write-ahead logging and a busy timeout for SQLite connections."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    # WAL lets readers carry on while one writer writes; the timeout makes a second
    # writer wait its turn instead of failing at once.
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.close()
