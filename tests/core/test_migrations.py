"""The migrations build exactly the schema the models describe, on SQLite and on PostgreSQL."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from registry.core.db import compared_on, postgresql_only_indexes
from registry.extensions import db


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
