"""Serialising changes to one agreement: every change takes the agreement's row lock first.

The lock version counts changes, not attempts: a use case that finds nothing to change
leaves it as it was, so nobody else's open form goes stale because of it.
"""

import sqlalchemy as sa

from registry.core.errors import Conflict
from registry.extensions import db

from .models import Agreement

STALE = (
    "This agreement has changed since you opened it, so nothing was saved. "
    "Reload the page to see the changes, then try again."
)


class StaleAgreement(Conflict):
    """Someone changed the agreement after the person read the lock version they sent (409 conflict)."""


def lock(agreement: Agreement, seen_lock_version: int | None = None) -> Agreement:
    """Lock the agreement for this transaction and reload it; refuse if it changed since it was seen.

    The UPDATE (which sets the lock version to itself) takes PostgreSQL's row lock and
    SQLite's write lock, so two approvers acting at once queue here, and the second sees
    what the first did. A form or API call that says which lock version it saw is refused
    if someone else got there first.
    """
    table = Agreement.__table__
    current = db.session.execute(
        sa.update(table)
        .where(table.c.id == agreement.id)
        .values(lock_version=table.c.lock_version)
        .returning(table.c.lock_version)
    ).scalar_one()
    if seen_lock_version is not None and current != seen_lock_version:
        raise StaleAgreement(STALE, lock_version=current)
    # Everything loaded before the lock may be stale: read it again under the lock.
    db.session.expire_all()
    return db.session.get(Agreement, agreement.id)


def count_change(agreement: Agreement) -> None:
    """Count a change to the locked agreement: forms opened before it are now stale."""
    table = Agreement.__table__
    db.session.execute(sa.update(table).where(table.c.id == agreement.id).values(lock_version=table.c.lock_version + 1))
    db.session.expire(agreement, ["lock_version"])
