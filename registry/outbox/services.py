"""Storing messages in the outbox, in the same transaction as the change they tell of.

Not audited here: the feature that writes a message records why it did (reminder.queue, say).
On PostgreSQL each INSERT wakes `flask mail worker` when the transaction commits (a
statement-level trigger, made by the migration that added threads); SQLite's worker polls.
"""

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from registry.core.bulk import insert_new
from registry.core.db import utcnow
from registry.core.text import is_one_line
from registry.extensions import db

from .emails import is_unsubscribe_url
from .models import KEY_LENGTH, SUBJECT_LENGTH, THREAD_LENGTH, URL_LENGTH, OutboxMailing, OutboxMessage

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
_REQUIRED = ("key", "to_address", "subject", "body")
_OPTIONAL = ("html_body", "user_id", "thread", "unsubscribe_url", "holds_secret")


def _row(message: dict, now) -> dict:
    """Return the values to insert for one message, refusing a message no feature should write."""
    unknown = set(message) - set(_REQUIRED) - set(_OPTIONAL)
    missing = [name for name in _REQUIRED if message.get(name) is None]
    if unknown or missing:
        raise TypeError(f"an outbox message takes {', '.join(_REQUIRED + _OPTIONAL)}; "
                        f"unknown: {sorted(unknown)}, missing: {missing}")
    key, thread, url = message["key"], message.get("thread"), message.get("unsubscribe_url")
    # A programming error in the feature, refused where it is made: on PostgreSQL a value too
    # long would fail the whole transaction, on SQLite it would be stored.
    if len(key) > KEY_LENGTH:
        raise ValueError(f"an outbox key is at most {KEY_LENGTH} characters: {key[:50]!r}…")
    if thread is not None and (len(thread) > THREAD_LENGTH or not is_one_line(thread)):
        raise ValueError(f"a thread is one line of at most {THREAD_LENGTH} characters: {thread[:50]!r}")
    if url is not None and not is_unsubscribe_url(url):
        raise ValueError(f"the unsubscribe address must be an http(s) URL of at most {URL_LENGTH} characters: {url[:80]!r}")
    return {
        "key": key,
        "user_id": message.get("user_id"),
        "to_address": message["to_address"],
        "subject": message["subject"][:SUBJECT_LENGTH],
        "body": message["body"],
        "html_body": message.get("html_body"),
        "thread": thread,
        "unsubscribe_url": url,
        "holds_secret": bool(message.get("holds_secret")),
        "created_at": now,
        "attempts": 0,
        "last_error": "",
    }


def _insert():
    return _INSERT[db.session.get_bind().dialect.name](OutboxMessage)


def enqueue(
    *,
    key: str,
    to_address: str,
    subject: str,
    body: str,
    html_body: str | None = None,
    user_id: int | None = None,
    thread: str | None = None,
    unsubscribe_url: str | None = None,
    holds_secret: bool = False,
) -> int | None:
    """Store a message unless one with its key is there already; return its id, or None if it was there.

    ON CONFLICT DO NOTHING on both databases: a second run at the same moment waits for the
    first to commit, then finds the key taken, and writes nothing rather than failing.
    holds_secret: the text holds a link for the recipient alone (models.OutboxMessage).
    """
    values = _row({"key": key, "to_address": to_address, "subject": subject, "body": body, "html_body": html_body,
                   "user_id": user_id, "thread": thread, "unsubscribe_url": unsubscribe_url,
                   "holds_secret": holds_secret}, utcnow())
    statement = _insert().values(**values).on_conflict_do_nothing(index_elements=["key"])
    return db.session.scalar(statement.returning(OutboxMessage.id))


def enqueue_many(messages: Iterable[dict]) -> int:
    """Store many messages at once, skipping keys already there; return how many were new.

    Each dict has enqueue()'s parameters. One statement whatever their number
    (core/bulk.py), so that an event telling 150 people costs its request little; written in
    key order, so that two transactions writing overlapping keys do not deadlock.
    """
    now = utcnow()
    return insert_new(OutboxMessage.__table__, [_row(message, now) for message in messages], "key")


def enqueue_mailing(*, recipients: list[dict], subject: str, body: str, html_body: str | None = None,
                    thread: str | None = None, unsubscribe_url: str | None = None) -> int:
    """Store one email for many people (each {"key", "to_address", "user_id"}), its text once; return how many it is for.

    The sender makes it a message for each recipient (delivery.expand_mailings), skipping
    keys already in the outbox, just before it delivers them.
    """
    if not recipients:
        return 0
    now = utcnow()
    # Checked as the messages it becomes would be, so that a bad one is refused here, by
    # its writer: what they share once, then each recipient's own part.
    shared = _row({**recipients[0], "subject": subject, "body": body, "html_body": html_body, "thread": thread,
                   "unsubscribe_url": unsubscribe_url}, now)
    for recipient in recipients:
        if set(recipient) != {"key", "to_address", "user_id"} or recipient["to_address"] is None:
            raise TypeError(f"a mailing's recipient has a key, a to_address and a user_id: {sorted(recipient)}")
        if len(recipient["key"]) > KEY_LENGTH:
            raise ValueError(f"an outbox key is at most {KEY_LENGTH} characters: {recipient['key'][:50]!r}…")
    db.session.execute(sa.insert(OutboxMailing).values(
        subject=shared["subject"], body=body, html_body=html_body, thread=thread, unsubscribe_url=unsubscribe_url,
        recipients=recipients, created_at=now,
    ))
    return len(recipients)
