"""The outbox stores a message once per key and delivers what waits, whichever feature wrote it.

Reminders are only one writer; how delivery copes with a down or refusing server is tested
through `flask reminders send` in tests/reminders.
"""

import sqlalchemy as sa

from registry.core.unit_of_work import unit_of_work
from registry.extensions import db
from registry.outbox import services
from registry.outbox.models import OutboxMessage


def _enqueue(key: str, to_address: str = "someone@example.org", subject: str = "Hello") -> int | None:
    with unit_of_work():
        return services.enqueue(key=key, to_address=to_address, subject=subject, body="A message.\n")


def _messages() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_key_is_stored_once(app):
    first = _enqueue("test:1")
    again = _enqueue("test:1", subject="Something else")

    assert first is not None and again is None
    [message] = _messages()
    assert (message.id, message.subject, message.sent_at, message.attempts) == (first, "Hello", None, 0)


def test_a_subject_too_long_for_the_column_is_cut(app):
    _enqueue("test:long", subject="x" * 400)
    assert len(_messages()[0].subject) == 300


def test_the_outbox_command_sends_what_waits_and_only_once(runner, smtp_server):
    _enqueue("test:1", to_address="one@example.org")
    _enqueue("test:2", to_address="two@example.org")

    first = runner.invoke(args=["outbox", "send"])
    second = runner.invoke(args=["outbox", "send"])

    assert first.exit_code == 0 and first.output.strip() == "2 sent, 0 failed"
    assert second.exit_code == 0 and second.output.strip() == "0 sent, 0 failed"
    assert [m.envelope.rcpt_tos for m in smtp_server.messages] == [["one@example.org"], ["two@example.org"]]
    assert all(m.sent_at is not None for m in _messages())


def test_the_outbox_command_passes_over_a_message_that_cannot_be_an_email(runner, smtp_server):
    bad = _enqueue("test:bad", to_address="not an address")
    _enqueue("test:good")

    result = runner.invoke(args=["outbox", "send"])

    assert result.exit_code == 1
    assert f"Message {bad} cannot be made into an email" in result.output
    assert result.output.strip().endswith("1 sent, 0 failed, 1 cannot be sent")
    assert len(smtp_server.messages) == 1
