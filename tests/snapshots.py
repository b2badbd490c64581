"""A picture of the whole database, to prove that a refused action changed nothing."""

import sqlalchemy as sa

from registry.extensions import db

# Bookkeeping that changes whenever someone uses the site, refused or not.
VOLATILE = {"user_sessions", "sign_in_failures"}
VOLATILE_COLUMNS = {("api_tokens", "last_used_at")}


def database_snapshot() -> dict[str, list[tuple]]:
    """Return every row of every table (but the volatile bookkeeping), in a stable order."""
    db.session.expire_all()
    snapshot = {}
    for table in db.metadata.sorted_tables:
        if table.name in VOLATILE:
            continue
        columns = [c for c in table.columns if (table.name, c.name) not in VOLATILE_COLUMNS]
        rows = db.session.execute(sa.select(*columns).order_by(*table.primary_key.columns)).all()
        snapshot[table.name] = [tuple(row) for row in rows]
    db.session.rollback()
    return snapshot
