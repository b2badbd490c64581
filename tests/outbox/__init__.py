"""Tests of the outbox: storing messages once, building emails, delivering them by each backend, the worker, the message page."""

import sqlalchemy as sa

from registry.core.unit_of_work import unit_of_work
from registry.extensions import db
from registry.outbox import services
from registry.outbox.models import OutboxMailing, OutboxMessage


def queue(count: int = 1, *, prefix: str = "test", **fields) -> list[int]:
    """Write `count` messages (keys prefix:0, prefix:1, …, to prefix-N@example.org) in one transaction; return their ids."""
    messages = [
        {"key": f"{prefix}:{n}", "to_address": f"{prefix}-{n}@example.org", "subject": f"Message {n}", "body": f"Message {n}.\n",
         **fields}
        for n in range(count)
    ]
    with unit_of_work():
        services.enqueue_many(messages)
    return [m.id for m in messages_in_outbox() if m.key.startswith(f"{prefix}:")]


def add_raw(**fields) -> OutboxMessage:
    """Store a message directly, as a row written before today's checks (or by hand) might be."""
    message = OutboxMessage(**{"key": "raw:1", "to_address": "someone@example.org", "subject": "Hi", "body": "Hello\n", **fields})
    db.session.add(message)
    db.session.commit()
    return message


def messages_in_outbox() -> list[OutboxMessage]:
    """Return every message in the outbox, oldest first, as the database has it now."""
    db.session.expire_all()
    messages = list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))
    # Detached, so that ending the read does not expire them (each would be read again).
    for message in messages:
        db.session.expunge(message)
    db.session.rollback()
    return messages


def mail_to_many(count: int, *, prefix: str = "many", subject: str = "To many") -> None:
    """Write one mailing for `count` people (keys prefix:0, …, to prefix-N@example.org), in one transaction."""
    with unit_of_work():
        services.enqueue_mailing(
            recipients=[{"key": f"{prefix}:{n}", "to_address": f"{prefix}-{n}@example.org", "user_id": None} for n in range(count)],
            subject=subject, body=f"{subject}.\n", html_body=f"<p>{subject}.</p>", thread="agreement:DSA-2026-0001",
            unsubscribe_url="https://registry.example/account/notifications",
        )


def mailings_waiting() -> int:
    """Return how many mailings are not yet made into messages."""
    count = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMailing).where(OutboxMailing.expanded_at.is_(None)))
    db.session.rollback()
    return count
