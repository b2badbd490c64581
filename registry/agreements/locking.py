"""Serialising changes to one agreement: every change takes the agreement's row lock first.

The lock version counts changes, not attempts: a use case that finds nothing to change
leaves it as it was, so nobody else's open form goes stale because of it.
"""

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from registry.core.errors import Conflict, NotFound
from registry.extensions import db

from .models import Agreement

STALE = (
    "This agreement has changed since you opened it, so nothing was saved. "
    "Reload the page to see the changes, then try again."
)

# Where the session notes which agreements its current transaction has locked.
_HELD = "agreements.locked"


class StaleAgreement(Conflict):
    """Someone changed the agreement after the person read the lock version they sent (409 conflict)."""


def _held() -> dict[int, int]:
    """Return, for each agreement locked in the session's current transaction, the lock version read under the lock.

    A row lock lasts until its transaction ends, so the note is kept with the transaction
    (the innermost one: rolling back to a savepoint gives up the locks taken after it).
    """
    session = db.session()
    transaction = session.get_nested_transaction() or session.get_transaction()
    held = session.info.get(_HELD)
    if held is None or held[0] is not transaction:
        held = session.info[_HELD] = (transaction, {})
    return held[1]


def _take_lock(where, loading: tuple = ()) -> sa.Executable:
    """Return the statement that takes the row lock of the agreement matching `where` and reads it.

    PostgreSQL's SELECT … FOR UPDATE waits for the row lock, then reads the newest committed
    row, with whatever `loading` joins in (the lock is on the agreement's row only). SQLite
    ignores FOR UPDATE: there a write takes the database's write lock, so the UPDATE sets two
    columns to themselves (a lock is not a change, so updated_at stays), and loads nothing more.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.select(Agreement).where(where).options(*loading).with_for_update(of=Agreement)
    return (
        sa.update(Agreement)
        .where(where)
        .values(lock_version=Agreement.lock_version, updated_at=Agreement.updated_at)
        .returning(Agreement)
        .execution_options(synchronize_session=False)
    )


def _lock_and_read(where, missing: str, loading: tuple = ()) -> Agreement:
    """Take the row lock of the agreement matching `where` and return it as read under the lock."""
    statement = _take_lock(where, loading).execution_options(populate_existing=True)
    agreement = db.session.scalars(statement).unique().one_or_none()
    if agreement is None:
        raise NotFound(missing)
    _held()[agreement.id] = agreement.lock_version
    return agreement


def lock_reference(reference: str, loading: tuple = ()) -> Agreement:
    """Lock the agreement with this reference for this transaction and return it, read under the lock.

    For a use case that has read nothing of the agreement yet: all it reads afterwards is
    read under the lock, so unlike lock() nothing needs to be read again. `loading` (loader
    options) says what to read with it where the database can in the same statement; the
    caller loads anything still unloaded afterwards. NotFound if none.
    """
    return _lock_and_read(Agreement.reference == reference.upper(), f"There is no agreement {reference}.", loading)


def lock(agreement: Agreement, seen_lock_version: int | None = None) -> Agreement:
    """Lock the agreement for this transaction and reload it; refuse if it changed since it was seen.

    The lock makes two approvers acting at once queue here, and the second sees what the
    first did. A form or API call that says which lock version it saw is refused if
    someone else got there first.
    """
    agreement_id = agreement.id
    locked = _held().get(agreement_id)
    if locked is not None and locked != agreement.lock_version:
        # Locked, and changed since by this transaction (every change is counted): what was
        # loaded may not show that everywhere. Keep the changes, and read it all again.
        db.session.flush()
        locked = None
    if locked is None:
        # Everything loaded before the lock may be stale: read it again under the lock.
        db.session.expire_all()
        agreement = _lock_and_read(Agreement.id == agreement_id, "That agreement no longer exists.")
    # Otherwise locked already and unchanged since: what this transaction read is as it is.
    if seen_lock_version is not None and agreement.lock_version != seen_lock_version:
        raise StaleAgreement(STALE, lock_version=agreement.lock_version)
    return agreement


def count_change(agreement: Agreement) -> None:
    """Count a change to the locked agreement: forms opened before it are now stale."""
    table = Agreement.__table__
    row = db.session.execute(
        sa.update(table)
        .where(table.c.id == agreement.id)
        .values(lock_version=table.c.lock_version + 1)
        .returning(table.c.lock_version, table.c.updated_at)
    ).one()
    # Kept as the database now has them, so that an answer built from the agreement needs no reload.
    set_committed_value(agreement, "lock_version", row.lock_version)
    set_committed_value(agreement, "updated_at", row.updated_at)
