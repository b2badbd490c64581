"""A picture of the whole database, to prove that a refused action changed nothing."""

from functools import cache

import sqlalchemy as sa

from registry.extensions import db

# Bookkeeping that changes whenever someone uses the site, refused or not.
VOLATILE = {"user_sessions", "sign_in_failures"}
VOLATILE_COLUMNS = {("api_tokens", "last_used_at")}


@cache
def _queries(dialect: sa.Dialect) -> tuple[tuple[str, str], ...]:
    """Return each table's name and the SQL that reads its rows (but the volatile bookkeeping) in a stable order."""
    queries = []
    for table in db.metadata.sorted_tables:
        if table.name in VOLATILE:
            continue
        columns = [c for c in table.columns if (table.name, c.name) not in VOLATILE_COLUMNS]
        select = sa.select(*columns).order_by(*table.primary_key.columns)
        queries.append((table.name, str(select.compile(dialect=dialect))))
    return tuple(queries)


def database_snapshot() -> dict[str, list[tuple]]:
    """Return every row of every table (but the volatile bookkeeping), in a stable order.

    Read through the database driver itself, in the test's transaction (so that rows it has
    not committed count too). On PostgreSQL the reads go in one pipeline: one round trip to
    the server for the lot, not one a table.
    """
    db.session.expire_all()
    connection = db.session.connection()
    queries = _queries(connection.dialect)
    driver = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        with driver.pipeline():
            cursors = [driver.execute(sql) for _, sql in queries]
        snapshot = {name: cursor.fetchall() for (name, _), cursor in zip(queries, cursors)}
    else:
        cursor = driver.cursor()
        snapshot = {name: cursor.execute(sql).fetchall() for name, sql in queries}
        cursor.close()
    db.session.rollback()
    return snapshot
