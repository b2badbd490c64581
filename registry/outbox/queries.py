"""Reading the outbox: which keys it holds, what is waiting to be sent, the messages for the outbox pages."""

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa

from registry.extensions import db

from .models import OutboxMailing, OutboxMessage

# Values looked up per query, well under either database's limit on bound parameters.
_CHUNK = 500


def existing_keys(keys: Iterable[str]) -> set[str]:
    """Return which of these keys the outbox already holds."""
    keys = sorted(set(keys))
    found: set[str] = set()
    for start in range(0, len(keys), _CHUNK):
        found.update(db.session.scalars(sa.select(OutboxMessage.key).where(OutboxMessage.key.in_(keys[start : start + _CHUNK]))))
    return found


def messages_with_ids(ids: Iterable[int]) -> list[OutboxMessage]:
    """Return the messages with these ids, by id."""
    ids = sorted(set(ids))
    messages: list[OutboxMessage] = []
    for start in range(0, len(ids), _CHUNK):
        messages += db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.id.in_(ids[start : start + _CHUNK])))
    return sorted(messages, key=lambda m: m.id)


def outbox_messages(unsent_only: bool = False) -> sa.Select:
    """Return a query for the outbox, newest first, optionally only what is still to be sent."""
    statement = sa.select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    if unsent_only:
        statement = statement.where(OutboxMessage.sent_at.is_(None))
    return statement


def due(now: datetime, *, after: int = 0, limit: int | None = None) -> sa.Select:
    """Return a query for the messages still to be sent and due to be tried by now, oldest first, from after an id."""
    return (
        sa.select(OutboxMessage)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.given_up_at.is_(None),
            sa.or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
            OutboxMessage.id > after,
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )


def unsent_messages(now: datetime) -> list[tuple[int, int]]:
    """Return (id, attempts) of every message still to be sent and due to be tried by now, oldest first."""
    rows = db.session.execute(due(now).with_only_columns(OutboxMessage.id, OutboxMessage.attempts))
    return [(row.id, row.attempts) for row in rows]


def message(message_id: int) -> OutboxMessage | None:
    """Return one message, or None if there is no such message."""
    return db.session.get(OutboxMessage, message_id)


def unexpanded_mailings(*, limit: int) -> sa.Select:
    """Return a query for the mailings whose messages are not written yet, oldest first."""
    return sa.select(OutboxMailing).where(OutboxMailing.expanded_at.is_(None)).order_by(OutboxMailing.id).limit(limit)


def mailings_waiting() -> int:
    """Return how many mailings (one email to many) the sender has not yet made into messages."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMailing).where(OutboxMailing.expanded_at.is_(None)))
