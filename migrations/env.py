"""Alembic's entry point: run the migrations against the app's own database.

Flask-Migrate loads the app (and so the configuration and every model) before this runs.
"""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from registry.core.db import compared_on

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
log = logging.getLogger("alembic.env")


def _skip_empty_revisions(migration_context, revision, directives):
    # `flask db migrate` with no model changes should write nothing, not an empty file.
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        log.info("No changes in schema detected.")


def run_migrations() -> None:
    """Run the migrations in one transaction on a connection from the app's engine."""
    migrate = current_app.extensions["migrate"]
    options = dict(migrate.configure_args)
    options.setdefault("process_revision_directives", _skip_empty_revisions)
    dialect = migrate.db.engine.dialect.name
    # Indexes that exist only on PostgreSQL are expression indexes Alembic cannot compare.
    options.setdefault("include_object", lambda obj, name, kind, reflected, compare_to: compared_on(obj, dialect))
    with migrate.db.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=migrate.db.metadata, **options)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported: run `flask db upgrade` against the database.")
run_migrations()
