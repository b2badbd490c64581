"""Storing a message in the outbox, in the same transaction as the change it tells of.

Not audited here: the feature that writes a message records why it did (reminder.queue, say).
"""

from sqlalchemy.dialects import postgresql, sqlite

from registry.extensions import db

from .models import SUBJECT_LENGTH, OutboxMessage

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def enqueue(*, key: str, to_address: str, subject: str, body: str, user_id: int | None = None, **later) -> int | None:
    """Store a message unless one with its key is there already; return its id, or None if it was there.

    ON CONFLICT DO NOTHING on both databases: a second run at the same moment waits for the
    first to commit, then finds the key taken, and writes nothing rather than failing.
    """
    insert = _INSERT[db.session.get_bind().dialect.name]
    values = {"key": key, "user_id": user_id, "to_address": to_address, "subject": subject[:SUBJECT_LENGTH], "body": body}
    statement = insert(OutboxMessage).values(**values).on_conflict_do_nothing(index_elements=["key"])
    return db.session.scalar(statement.returning(OutboxMessage.id))


def enqueue_many(messages: list[dict]) -> int:
    """Store many messages (each with enqueue's arguments); return how many were new."""
    # TEMPORARY until the mail delivery branch lands: one statement per message, and only
    # the fields this outbox has so far.
    known = {"key", "to_address", "subject", "body", "user_id"}
    return sum(enqueue(**{k: v for k, v in m.items() if k in known}) is not None for m in messages)
