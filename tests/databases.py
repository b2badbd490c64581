"""The test databases: one per test worker, built by the real migrations, and put back before each test.

Set TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run on
PostgreSQL; SQLite otherwise.

Putting a database back costs milliseconds, where a new database per test cost a quarter of
a second on PostgreSQL, so the same trick also keeps data that many tests build alike
(tests/shared_data.py): a snapshot is taken once and put back for each test that wants it.
On SQLite a snapshot is a copy of the pages, taken and put back with SQLite's backup API
(safe with connections open); on PostgreSQL it is each table's rows in COPY's binary format
with the sequences' positions, put back after emptying every table, with triggers (the
log's append-only ones, and the foreign keys) set aside while it is.
"""

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from registry import create_app
from registry.extensions import db


def migrate(url: str, instance_path) -> None:
    """Build a database by running the real migrations."""
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url}, instance_path=str(instance_path))
    with app.app_context():
        upgrade()
        db.engine.dispose()


class SqliteDatabase:
    """The worker's SQLite file; snapshots are in-memory copies of it."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "registry.sqlite3"
        self.url = f"sqlite:///{self.path}"
        migrate(self.url, folder / "migration-instance")
        self._target: sqlite3.Connection | None = None

    def snapshot(self) -> sqlite3.Connection:
        """Return a copy of the database as it is now (everything committed)."""
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        source = sqlite3.connect(self.path)
        try:
            source.backup(copy)
        finally:
            source.close()
        return copy

    def restore(self, snapshot: sqlite3.Connection) -> None:
        """Put the database back to a snapshot.

        Through one connection kept for it, which neither waits for the disk nor keeps its undo
        journal in a file (a crash mid-restore spoils only a test database): 0.7 ms a restore
        where a new connection with SQLite's defaults took 3.1 ms.
        """
        if self._target is None:
            self._target = sqlite3.connect(self.path, check_same_thread=False)
            self._target.execute("PRAGMA synchronous = OFF")
            self._target.execute("PRAGMA journal_mode = MEMORY")
        snapshot.backup(self._target)

    def close(self) -> None:
        if self._target is not None:
            self._target.close()


@dataclass(frozen=True)
class PostgresSnapshot:
    rows: dict[str, bytes]
    sequences: dict[str, tuple[int, bool]]


class PostgresDatabase:
    """The worker's own PostgreSQL database, made by migration; snapshots are COPY data."""

    def __init__(self, url: str, folder: Path) -> None:
        base = sa.make_url(url)
        # Unique per test process, so parallel runs and workers on one server never collide.
        self.name = f"{base.database}_t{os.getpid()}"
        self.admin = sa.create_engine(base, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._execute(f'CREATE DATABASE "{self.name}"')
        self.url = base.set(database=self.name).render_as_string(hide_password=False)
        migrate(self.url, folder / "migration-instance")
        self.tables = [table.name for table in db.metadata.sorted_tables]
        self._open = None

    def _execute(self, statement: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(sa.text(statement))

    def _connection(self):
        """Return the worker's own connection for snapshots, made once: a new one for each would cost a server process each.

        A test may cut every connection to the database, as a restart would
        (tests/outbox/test_worker.py): one that no longer answers is replaced.
        """
        import psycopg

        if self._open is not None:
            try:
                self._open.execute("SELECT 1")
            except psycopg.OperationalError:
                self._open.close()
                self._open = None
        if self._open is None:
            address = sa.make_url(self.url).set(drivername="postgresql").render_as_string(hide_password=False)
            self._open = psycopg.connect(address, autocommit=True)
        return self._open

    def snapshot(self) -> PostgresSnapshot:
        """Return every table's rows and every sequence's position, as they are now."""
        rows, sequences = {}, {}
        connection = self._connection()
        with connection.transaction(), connection.cursor() as cursor:
            for table in self.tables:
                with cursor.copy(f'COPY "{table}" TO STDOUT (FORMAT binary)') as copy:
                    data = b"".join(bytes(chunk) for chunk in copy)
                rows[table] = data
            cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
            for name, last_value in cursor.fetchall():
                sequences[name] = (last_value or 1, last_value is not None)
        return PostgresSnapshot(rows, sequences)

    def restore(self, snapshot: PostgresSnapshot) -> None:
        """Empty every table, then put back the snapshot's rows and sequence positions."""
        connection = self._connection()
        with connection.transaction(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(";".join(f'DELETE FROM "{table}"' for table in self.tables))
            for table, data in snapshot.rows.items():
                if len(data) > 21:  # the binary format's header and trailer alone: no rows
                    with cursor.copy(f'COPY "{table}" FROM STDIN (FORMAT binary)') as copy:
                        copy.write(data)
            cursor.execute(";".join(
                f"SELECT setval('\"{name}\"', {value}, {str(called).lower()})" for name, (value, called) in snapshot.sequences.items()
            ))

    def close(self) -> None:
        if self._open is not None:
            self._open.close()
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.admin.dispose()


def database_for(url: str | None, folder: Path):
    """Return this worker's database: on PostgreSQL when a URL says so, else SQLite."""
    if url and url.startswith("postgresql"):
        return PostgresDatabase(url, folder)
    return SqliteDatabase(folder)
