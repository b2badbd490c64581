"""What the benchmarks share: an app on a fresh database, and a fast way to build a long genuine log.

Run benchmarks from the project root with the project's virtual environment, e.g.
`.venv/bin/python -m bench.audit_cost`.
"""

import os
import sqlite3
import time
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from registry import create_app
from registry.auditlog import appending, entries, keys
from registry.auditlog.models import AuditEntry, AuditHash, AuditLogHead
from registry.users.actors import COMMAND_LINE
from registry.core.db import utcnow
from registry.extensions import db

OUT = Path(__file__).parent / "out"
POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def machine() -> str:
    """Describe this machine in one line: CPU model, cores, memory, Python."""
    import platform

    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
        platform.processor(),
    )
    memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    return f"{cpu}, {os.cpu_count()} cores, {memory_kb // 1024 // 1024} GiB, Python {platform.python_version()}"


def fresh_postgres(name: str) -> str:
    """Create an empty PostgreSQL database (dropping any old one) and return its URL."""
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return sa.make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def fresh_sqlite(path: Path) -> str:
    """Remove any old SQLite file at path and return its URL."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def migrated_app(url: str, instance: Path):
    """Return the app on the database at url, migrated to head."""
    instance.mkdir(parents=True, exist_ok=True)
    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": url}, instance_path=str(instance))
    with app.app_context():
        upgrade()
    return app


def build_log(size: int, batch: int = 20_000) -> None:
    """Append `size` genuine entries (signed, hashed, checkpointed by the registry's own code) in bulk.

    The per-entry work is appending.prepare_append, exactly what record() does; only the
    writes are batched, because a million separate transactions would take hours.
    """
    log_key, entry_key = keys.signer("log"), keys.signer("entry")
    keys.ensure_published("log", log_key)
    keys.ensure_published("entry", entry_key)
    db.session.commit()
    head = db.session.get(AuditLogHead, 1)
    index, frontier = head.size, head.frontier
    origin = keys.origin()
    started = time.perf_counter()
    while index < size:
        rows, hashes = [], []
        for _ in range(min(batch, size - index)):
            now = utcnow()
            body = entries.entry_body(COMMAND_LINE, "bench.change", "thing", index, {"n": index}, (), None, now)
            append = appending.prepare_append(body, index, frontier, origin, log_key, entry_key)
            rows.append(
                {"index": index, "entry": append.entry, "key_id": append.key_id, "signature": append.signature,
                 "checkpoint": append.checkpoint, "time": now, "action": "bench.change", "actor_user_id": None,
                 "object_type": "thing", "object_ref": str(index)}
            )
            hashes += [{"index": append.first_hash_index + i, "hash": h} for i, h in enumerate(append.hashes)]
            frontier = append.frontier
            index += 1
        db.session.execute(sa.insert(AuditEntry.__table__), rows)
        db.session.execute(sa.insert(AuditHash.__table__), hashes)
        table = AuditLogHead.__table__
        db.session.execute(sa.update(table).where(table.c.id == 1).values(size=index, frontier=frontier))
        db.session.commit()
        print(f"  built {index:,} entries ({time.perf_counter() - started:.0f} s)", flush=True)


def sqlite_log(name: str, size: int):
    """Return an app on an SQLite log of `size` entries in bench/out, building it unless already there."""
    from registry.auditlog import queries

    path, instance = OUT / f"{name}.sqlite3", OUT / f"{name}-instance"
    if path.exists():
        app = migrated_app(f"sqlite:///{path}", instance)
        with app.app_context():
            if queries.log_size() == size:
                print(f"using the log of {size:,} entries already built in {path}")
                return app
    app = migrated_app(fresh_sqlite(path), instance)
    with app.app_context():
        print(f"building a log of {size:,} entries (SQLite, {path})")
        build_log(size)
    return app


def sqlite_file(url: str) -> Path:
    """Return the file behind a sqlite:/// URL."""
    return Path(sa.make_url(url).database)


def sqlite_connect(path: Path) -> sqlite3.Connection:
    """Open an SQLite file directly."""
    return sqlite3.connect(path)
