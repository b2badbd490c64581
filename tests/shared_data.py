"""Data that many tests build alike, built once per worker and put back for each test that wants it.

`@shared_data` on a builder (its arguments, model objects included, are part of what is
kept, and so are the settings that change what it makes). The first test in a worker to call it
builds, commits and keeps a snapshot of the database (tests/databases.py) with what the
builder returned; each later test that calls it at the same point puts the snapshot back
and gets the same things, loaded afresh. "The same point" is the chain of shared builders
called since the test's database was put back, with nothing else written in between (the
row count of every table says so): a builder called after a test wrote data of its own
simply builds, so no test's data is ever thrown away. Builders may call each other.
"""

import dataclasses
import functools

import sqlalchemy as sa
from flask import current_app

from registry.auditlog import appending, keys
from registry.extensions import db

# (chain of builders, row counts before) -> (snapshot after, what the builder returned, row counts after)
_kept: dict[tuple, tuple[object, object, tuple]] = {}
_position: dict[str, object] = {"chain": (), "counts": None}
# Tables the migrations themselves put rows in.
_SEEDED = {"audit_log_head", "alembic_version"}


@dataclasses.dataclass(frozen=True)
class _Row:
    model: type
    identity: tuple


def _rebuild(value, is_leaf, convert):
    """Rebuild what a builder returned, converting each leaf (dicts, lists, tuples and dataclasses are walked)."""
    if is_leaf(value):
        return convert(value)
    if isinstance(value, dict):
        return {key: _rebuild(item, is_leaf, convert) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_rebuild(item, is_leaf, convert) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return dataclasses.replace(value, **{f.name: _rebuild(getattr(value, f.name), is_leaf, convert) for f in fields})
    return value


def _freeze(value):
    """Replace every model object in what a builder returned by its class and primary key."""
    return _rebuild(value, lambda leaf: isinstance(leaf, db.Model), lambda row: _Row(type(row), sa.inspect(row).identity))


def _thaw(value):
    """Load again every model object that _freeze replaced."""
    return _rebuild(value, lambda leaf: isinstance(leaf, _Row), lambda row: db.session.get(row.model, row.identity))


def _row_counts() -> tuple:
    """Return how many rows each table holds, in one query."""
    tables = db.metadata.sorted_tables
    query = " UNION ALL ".join(f'SELECT {n}, count(*) FROM "{table.name}"' for n, table in enumerate(tables))
    # In the test's own session, so that rows it has not committed count too.
    counts = dict(db.session.execute(sa.text(query)).all())
    return tuple(counts[n] for n in range(len(tables)))


def start_test() -> None:
    """Note that the test's database has just been put back to as migrated."""
    _position["chain"] = ()
    _position["counts"] = _position.get("migrated")  # worked out when a shared builder is first called


# Settings that change what a builder makes (today's date, the log's origin).
_SETTINGS = ("TODAY", "SERVICE_HOST", "AUDIT_ORIGIN")


def shared_data(build):
    """Make a builder run once per worker for each point it is called from and each set of arguments."""

    @functools.wraps(build)
    def get(*args, **kwargs):
        database = current_app.config.get("TEST_DATABASE")
        counts = _row_counts()
        if _position["counts"] is None:
            # The first call in this worker, on a database as migrated (the app fixture put it
            # back, and a test that wrote first has rows in some table, which migrations leave empty).
            if any(counts[n] for n, table in enumerate(db.metadata.sorted_tables) if table.name not in _SEEDED):
                return build(*args, **kwargs)
            _position["migrated"] = _position["counts"] = counts
        if database is None or counts != _position["counts"]:
            return build(*args, **kwargs)  # the test wrote something of its own first
        settings = tuple(str(current_app.config.get(name)) for name in _SETTINGS)
        call = f"{build.__module__}.{build.__qualname__}{_freeze((args, kwargs))!r}{settings}"
        key = (*_position["chain"], call, counts)
        if key in _kept:
            snapshot, frozen, after = _kept[key]
            # Keep the test's objects in the session: expired, they load again from what is put back.
            db.session.rollback()
            database.restore(snapshot)
            keys.forget_cached_keys()
            appending.forget_cached_head()
            result = _thaw(frozen)
        else:
            result = build(*args, **kwargs)
            db.session.commit()
            after = _row_counts()
            _kept[key] = (database.snapshot(), _freeze(result), after)
        _position["chain"], _position["counts"] = key, after
        return result

    return get


def shared_fixture(build):
    """Make a pytest fixture, named as the builder, whose value a shared builder makes (once per worker, then put back)."""
    import pytest

    kept = shared_data(build)

    @pytest.fixture(name=build.__name__)
    def fixture(app):
        return kept()

    fixture.__doc__ = build.__doc__  # (not functools.wraps: pytest would read the builder's arguments as the fixture's)
    return fixture
