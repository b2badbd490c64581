"""Serialising changes to one agreement: every change takes the agreement's row lock first."""

import sqlalchemy as sa

from registry.core.errors import Conflict
from registry.extensions import db

from .models import Agreement

STALE = (
    "This agreement has changed since you opened it, so nothing was saved. "
    "Reload the page to see the changes, then try again."
)


def lock(agreement: Agreement, seen_lock_version: int | None = None) -> Agreement:
    """Lock the agreement for this transaction and reload it; refuse if it changed since it was seen.

    The UPDATE takes PostgreSQL's row lock (and SQLite's write lock), so two approvers
    acting at once queue here, and the second sees what the first did. A form or API call
    that says which lock version it saw is refused if someone else got there first.
    """
    table = Agreement.__table__
    locked_version = db.session.execute(
        sa.update(table)
        .where(table.c.id == agreement.id)
        .values(lock_version=table.c.lock_version + 1)
        .returning(table.c.lock_version)
    ).scalar_one()
    if seen_lock_version is not None and locked_version != seen_lock_version + 1:
        raise Conflict(STALE, lock_version=locked_version - 1)
    # Everything loaded before the lock may be stale: read it again under the lock.
    db.session.expire_all()
    return db.session.get(Agreement, agreement.id)
