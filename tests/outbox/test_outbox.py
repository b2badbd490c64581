"""The outbox stores a message once per key, one or many at a time, with its HTML, thread and unsubscribe link."""

import pytest
import sqlalchemy as sa

from registry.core.unit_of_work import unit_of_work
from registry.outbox import services

from . import messages_in_outbox, queue


def _enqueue(key: str, to_address: str = "someone@example.org", subject: str = "Hello", **fields) -> int | None:
    with unit_of_work():
        return services.enqueue(key=key, to_address=to_address, subject=subject, body="A message.\n", **fields)


def test_a_key_is_stored_once(app):
    first = _enqueue("test:1")
    again = _enqueue("test:1", subject="Something else")

    assert first is not None and again is None
    [message] = messages_in_outbox()
    assert (message.id, message.subject, message.sent_at, message.attempts) == (first, "Hello", None, 0)


def test_a_subject_too_long_for_the_column_is_cut(app):
    _enqueue("test:long", subject="x" * 400)
    assert len(messages_in_outbox()[0].subject) == 300


def test_a_message_keeps_its_html_thread_and_unsubscribe_link(app):
    _enqueue("test:1", html_body="<p>A message.</p>", thread="agreement:DSA-2026-0001",
             unsubscribe_url="https://registry.example/account/notifications", user_id=None)
    [message] = messages_in_outbox()
    assert (message.html_body, message.thread, message.unsubscribe_url, message.sent_via) == (
        "<p>A message.</p>", "agreement:DSA-2026-0001", "https://registry.example/account/notifications", None)


@pytest.mark.parametrize("fields", [
    {"thread": "agreement:1\r\nBcc: everyone@example.org"},
    {"thread": "x" * 201},
    {"unsubscribe_url": "javascript:alert(1)"},
    {"unsubscribe_url": "https://registry.example/a>, <mailto:everyone@example.org"},
    {"unsubscribe_url": "https://registry.example/\r\nBcc: x@example.org"},
    {"key": "k" * 201},
])
def test_a_feature_cannot_write_a_thread_or_link_that_would_break_a_header(app, fields):
    with pytest.raises(ValueError):
        _enqueue(**{"key": "test:1", **fields})
    assert messages_in_outbox() == []


def test_many_are_stored_in_one_statement_and_only_new_keys_count(app, count_queries):
    _enqueue("many:3")
    messages = [{"key": f"many:{n}", "to_address": f"p{n}@example.org", "subject": f"S{n}", "body": "B\n",
                 "html_body": "<p>B</p>", "user_id": None, "thread": "agreement:DSA-2026-0001",
                 "unsubscribe_url": "https://registry.example/account/notifications"} for n in range(150)]
    messages.append(dict(messages[0]))  # the same key twice in one call is written once

    count_queries.count = 0
    with unit_of_work():
        written = services.enqueue_many(messages)

    assert written == 149  # many:3 was there already
    assert count_queries.count <= 3  # the INSERT, with whatever the transaction itself sends
    stored = {m.key: m for m in messages_in_outbox()}
    assert len(stored) == 150
    assert stored["many:7"].to_address == "p7@example.org" and stored["many:7"].html_body == "<p>B</p>"
    assert stored["many:7"].thread == "agreement:DSA-2026-0001" and stored["many:7"].attempts == 0
    assert stored["many:3"].subject == "Hello"  # the earlier message is left as it was


def test_a_thousand_messages_take_one_statement(app, count_queries):
    count_queries.count = 0
    ids = queue(1001)
    assert len(ids) == 1001
    assert count_queries.count <= 1 + 3 + 1  # one INSERT, the transaction, and the read back


def test_nothing_to_store_stores_nothing(app):
    with unit_of_work():
        assert services.enqueue_many([]) == 0


def test_a_message_without_a_body_or_with_an_unknown_field_is_refused(app):
    with pytest.raises(TypeError), unit_of_work():
        services.enqueue_many([{"key": "x", "to_address": "a@example.org", "subject": "S"}])
    with pytest.raises(TypeError), unit_of_work():
        services.enqueue_many([{"key": "x", "to_address": "a@example.org", "subject": "S", "body": "B", "cc": "b@example.org"}])


def test_messages_written_in_a_transaction_that_rolls_back_are_not_stored(app):
    with pytest.raises(RuntimeError), unit_of_work():
        services.enqueue_many([{"key": "x", "to_address": "a@example.org", "subject": "S", "body": "B"}])
        raise RuntimeError("the change failed")
    assert messages_in_outbox() == []


def test_postgresql_tells_listeners_once_per_statement(app):
    from registry.extensions import db

    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no LISTEN/NOTIFY: its worker polls (tests/outbox/test_worker.py)")
    import psycopg

    url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as listener:
        listener.execute("LISTEN outbox_messages")
        queue(150)
        heard = list(listener.notifies(timeout=2, stop_after=10))
    assert [n.channel for n in heard] == ["outbox_messages"]
