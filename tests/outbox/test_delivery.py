"""`flask mail send` (and `flask outbox send`) delivers what waits, in batches, each message once, past any bad one."""

import pytest

from registry.outbox import delivery

from . import add_raw, messages_in_outbox, queue


@pytest.mark.parametrize("command", [["mail", "send"], ["outbox", "send"]], ids=["mail send", "outbox send"])
def test_the_command_sends_what_waits_and_only_once(runner, smtp_server, command):
    queue(2)

    first = runner.invoke(args=command)
    second = runner.invoke(args=command)

    assert first.exit_code == 0 and first.output.strip() == "2 sent, 0 failed"
    assert second.exit_code == 0 and second.output.strip() == "0 sent, 0 failed"
    assert [m.envelope.rcpt_tos for m in smtp_server.messages] == [["test-0@example.org"], ["test-1@example.org"]]
    assert all(m.sent_at is not None and m.attempts == 1 for m in messages_in_outbox())


def test_many_batches_each_message_once_in_order(runner, smtp_server):
    count = delivery.BATCH_SIZE * 2 + 7
    queue(count)

    result = runner.invoke(args=["mail", "send"])

    assert result.output.strip() == f"{count} sent, 0 failed"
    messages = messages_in_outbox()
    assert [m.envelope.rcpt_tos[0] for m in smtp_server.messages] == [m.to_address for m in messages]  # oldest first
    assert len({m.to_address for m in messages}) == count
    assert all(m.attempts == 1 and m.sent_at for m in messages)


def test_bad_messages_in_the_middle_of_a_batch_never_stop_the_rest(runner, smtp_server):
    queue(10, prefix="a")
    unbuildable = add_raw(key="raw:unbuildable", to_address="someone@example.org\r\nBcc: x@example.org")
    refused = add_raw(key="raw:refused", to_address="refused@example.org")
    hung_up = add_raw(key="raw:hang-up", to_address="hang-up@example.org")
    queue(10, prefix="b")
    smtp_server.refused.add("refused@example.org")
    smtp_server.hang_up_on.add("hang-up@example.org")

    result = runner.invoke(args=["mail", "send"])

    assert result.exit_code == 1
    assert result.output.strip().endswith("20 sent, 2 failed, 1 cannot be sent")
    assert f"Message {unbuildable.id} cannot be made into an email" in result.output
    assert "Stopped" not in result.output
    by_key = {m.key: m for m in messages_in_outbox()}
    assert by_key["raw:unbuildable"].given_up_at is not None
    assert by_key["raw:refused"].next_attempt_at and "SMTPRecipientsRefused" in by_key["raw:refused"].last_error
    assert by_key["raw:hang-up"].next_attempt_at and by_key["raw:hang-up"].id == hung_up.id
    assert refused.id < hung_up.id
    assert len(smtp_server.messages) == 20


def test_a_run_asked_to_stop_finishes_the_message_in_hand_and_leaves_the_rest_untouched(smtp_server):
    queue(5)
    report = delivery.send_queued(should_stop=lambda: len(smtp_server.messages) >= 2)

    assert len(report.sent) == 2 and not report.stopped
    messages = messages_in_outbox()
    assert [m.attempts for m in messages] == [1, 1, 0, 0, 0]
    assert len(smtp_server.messages) == 2


def test_a_message_whose_retry_is_not_due_waits_and_the_rest_go(runner, smtp_server):
    from datetime import timedelta

    from registry.core.db import utcnow

    add_raw(key="raw:later", to_address="later@example.org", attempts=1, next_attempt_at=utcnow() + timedelta(minutes=5))
    queue(2)
    assert runner.invoke(args=["mail", "send"]).output.strip() == "2 sent, 0 failed"
    assert [m.envelope.rcpt_tos[0] for m in smtp_server.messages] == ["test-0@example.org", "test-1@example.org"]
