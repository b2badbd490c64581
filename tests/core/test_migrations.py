"""The migrations build exactly the schema the models describe, on SQLite and on PostgreSQL, and move the data they change."""

import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from registry import create_app
from registry.core.db import UTCDateTime, compared_on, postgresql_only_indexes, utcnow
from registry.extensions import db
from tests.conftest import TEST_DATABASE_URL


def test_upgrading_an_empty_database_gives_the_models_schema(app):
    # The app's database was built from empty by `flask db upgrade` (see conftest).
    dialect = db.engine.dialect.name
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": lambda obj, name, kind, reflected, compare_to: compared_on(obj, dialect)}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_there_is_a_single_migration_head(app):
    config = app.extensions["migrate"].migrate.get_config()
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_the_database_is_at_the_head_revision(app):
    config = app.extensions["migrate"].migrate.get_config()
    head = ScriptDirectory.from_config(config).get_current_head()
    with db.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head



def test_postgresql_only_indexes_exist_there_and_only_there(app):
    names = postgresql_only_indexes(db.metadata)
    assert names  # the agreements search index, at least
    existing = {index["name"] for table in db.metadata.tables for index in sa.inspect(db.engine).get_indexes(table)}
    if db.engine.dialect.name == "postgresql":
        assert set(names) <= existing
    else:
        assert not set(names) & existing


# Moving people's reminder choices into their notification choices (db68c954f94c), and back.

BEFORE_NOTIFICATION_CHOICES, NOTIFICATION_CHOICES = "9fb59eb62e70", "db68c954f94c"
_users = sa.table("users", sa.column("id", sa.Integer()), sa.column("email", sa.String()), sa.column("name", sa.String()),
                  sa.column("password_hash", sa.String()), sa.column("active", sa.Boolean()),
                  sa.column("created_at", UTCDateTime()))
_reminder_preferences = sa.table("reminder_preferences", sa.column("user_id", sa.Integer()), sa.column("reviews", sa.Boolean()),
                                 sa.column("obligations", sa.Boolean()), sa.column("overdue", sa.Boolean()),
                                 sa.column("updated_at", UTCDateTime()))
_notification_preferences = sa.table("notification_preferences", sa.column("user_id", sa.Integer()),
                                     sa.column("kind", sa.String()), sa.column("delivery", sa.String()),
                                     sa.column("updated_at", UTCDateTime()))


@pytest.fixture
def migrating(tmp_path):
    """Return an app on an empty database of its own (the suite's engine), to move up and down the migrations."""
    if TEST_DATABASE_URL and TEST_DATABASE_URL.startswith("postgresql"):
        base = sa.make_url(TEST_DATABASE_URL)
        name = f"{base.database}_migrating_{os.getpid()}"
        admin = sa.create_engine(base, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = base.set(database=name).render_as_string(hide_password=False)
    else:
        admin, name, url = None, None, f"sqlite:///{tmp_path / 'migrating.sqlite3'}"
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url}, instance_path=str(tmp_path / "instance"))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    if admin is not None:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _write(table, rows: list[dict]) -> None:
    """Write rows and let go of the database, so that the next migration finds nothing locked."""
    db.session.execute(table.insert(), rows)
    db.session.commit()
    db.session.remove()


def _people(count: int) -> list[int]:
    now = utcnow()
    _write(_users, [{"id": n, "email": f"person{n}@example.org", "name": f"Person {n}", "password_hash": "x",
                     "active": True, "created_at": now} for n in range(1, count + 1)])
    return list(range(1, count + 1))


def _rows(table, *columns) -> set[tuple]:
    found = {tuple(row) for row in db.session.execute(sa.select(*(table.c[name] for name in columns)))}
    db.session.remove()
    return found


def test_upgrading_turns_each_reminder_turned_off_into_that_kind_chosen_off(migrating):
    upgrade(revision=BEFORE_NOTIFICATION_CHOICES)
    no_reviews, only_reviews, everything, already_chose = _people(4)
    now = utcnow()
    _write(_reminder_preferences, [
        {"user_id": no_reviews, "reviews": False, "obligations": True, "overdue": True, "updated_at": now},
        {"user_id": only_reviews, "reviews": True, "obligations": False, "overdue": False, "updated_at": now},
        {"user_id": everything, "reviews": True, "obligations": True, "overdue": True, "updated_at": now},
        {"user_id": already_chose, "reviews": False, "obligations": True, "overdue": False, "updated_at": now},
    ])
    # Chosen on the notifications page too: what that page shows them stays.
    _write(_notification_preferences, [
        {"user_id": already_chose, "kind": "review_reminders", "delivery": "digest", "updated_at": now},
        {"user_id": already_chose, "kind": "proposals", "delivery": "inbox", "updated_at": now},
    ])

    upgrade(revision=NOTIFICATION_CHOICES)

    assert _rows(_notification_preferences, "user_id", "kind", "delivery") == {
        (no_reviews, "review_reminders", "off"),
        (only_reviews, "obligation_reminders", "off"),
        (only_reviews, "overdue_reminders", "off"),
        (already_chose, "review_reminders", "digest"),
        (already_chose, "proposals", "inbox"),
        (already_chose, "overdue_reminders", "off"),
    }
    assert "reminder_preferences" not in sa.inspect(db.engine).get_table_names()


def test_downgrading_turns_each_reminder_kind_chosen_off_back_into_that_reminder_turned_off(migrating):
    upgrade(revision=NOTIFICATION_CHOICES)
    no_reviews, only_reviews, by_digest, no_one_chose = _people(4)
    now = utcnow()
    _write(_notification_preferences, [
        {"user_id": no_reviews, "kind": "review_reminders", "delivery": "off", "updated_at": now},
        {"user_id": only_reviews, "kind": "obligation_reminders", "delivery": "off", "updated_at": now},
        {"user_id": only_reviews, "kind": "overdue_reminders", "delivery": "off", "updated_at": now},
        {"user_id": by_digest, "kind": "review_reminders", "delivery": "digest", "updated_at": now},
    ])

    downgrade(revision=BEFORE_NOTIFICATION_CHOICES)

    assert _rows(_reminder_preferences, "user_id", "reviews", "obligations", "overdue") == {
        (no_reviews, False, True, True),
        (only_reviews, True, False, False),
    }
    assert len(_rows(_notification_preferences, "user_id", "kind")) == 4  # kept: valid before too
