"""Writing many rows in one statement, skipping those whose key is there already, cheaply on both databases.

Telling 150 people of one event writes 150 inbox rows and up to 150 emails inside the request
that caused it. A multi-row VALUES list would be a new statement for every number of rows,
parsed and planned afresh each time; instead, on PostgreSQL the rows go as one array per
column into a statement whose text never changes (INSERT … SELECT FROM unnest(…)), so it is
prepared once and reused; SQLite, in process, takes them as an executemany.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from registry.extensions import db


def insert_new(table: sa.Table, rows: Sequence[dict], key: str | None = None) -> int:
    """Insert the rows (each with the same columns), unless their `key` is in the table already; return how many were new.

    With a key, rows are written in key order, so that two transactions writing overlapping
    keys meet them in the same order and one waits for the other instead of deadlocking.
    Without one, every row is written (a duplicate is an error).
    """
    if not rows:
        return 0
    if key is not None:
        rows = sorted(rows, key=lambda row: row[key])
    if db.session.get_bind().dialect.name == "postgresql":
        return _insert_postgresql(table, rows, key)
    statement = sqlite.insert(table)
    if key is not None:
        statement = statement.on_conflict_do_nothing(index_elements=[key])
    return db.session.execute(statement.execution_options(preserve_rowcount=True), list(rows)).rowcount


def _insert_postgresql(table: sa.Table, rows: Sequence[dict], key: str | None) -> int:
    columns = list(rows[0])
    # One array per column; each array's values go through the column type's own conversion.
    arrays = [
        sa.bindparam(f"column_{n}", [row[name] for row in rows], type_=postgresql.ARRAY(table.c[name].type))
        for n, name in enumerate(columns)
    ]
    source = sa.func.unnest(*arrays).table_valued(*columns).render_derived(name="given")
    statement = postgresql.insert(table).from_select(columns, sa.select(*(source.c[name] for name in columns)))
    if key is not None:
        statement = statement.on_conflict_do_nothing(index_elements=[key])
    # SQLAlchemy keeps an INSERT's row count only when asked.
    return db.session.execute(statement.execution_options(preserve_rowcount=True)).rowcount
