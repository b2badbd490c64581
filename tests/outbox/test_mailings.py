"""Mailings: one email to many, its text stored once, made into a message for each recipient by the sender, once."""

import pytest

from registry.core.unit_of_work import unit_of_work
from registry.outbox import delivery, services
from tests.cli import succeeds

from . import mail_to_many, mailings_waiting, messages_in_outbox, queue


def test_a_mailing_is_one_row_until_the_sender_makes_it_a_message_for_each(app, count_queries):
    count_queries.count = 0
    mail_to_many(150)
    assert count_queries.count <= 1 + 3  # the INSERT, with whatever the transaction itself sends
    assert messages_in_outbox() == [] and mailings_waiting() == 1

    assert delivery.expand_mailings() == 1

    messages = messages_in_outbox()
    assert len(messages) == 150 and mailings_waiting() == 0
    first = messages[0]
    assert (first.subject, first.body, first.html_body, first.thread) == (
        "To many", "To many.\n", "<p>To many.</p>", "agreement:DSA-2026-0001")
    assert sorted(m.to_address for m in messages) == sorted(f"many-{n}@example.org" for n in range(150))


def test_a_mailing_is_made_into_messages_once_and_keys_already_there_are_skipped(app):
    queue(1, prefix="many", subject="Written before")  # many:0 is in the outbox already
    mail_to_many(3)

    assert delivery.expand_mailings() == 1
    assert delivery.expand_mailings() == 0

    messages = {m.key: m for m in messages_in_outbox()}
    assert sorted(messages) == ["many:0", "many:1", "many:2"]
    assert messages["many:0"].subject == "Written before"


def test_sending_makes_mailings_into_messages_and_delivers_them(runner, smtp_server):
    mail_to_many(4)
    succeeds(runner, "mail", "send")
    assert sorted(m.envelope.rcpt_tos[0] for m in smtp_server.messages) == [f"many-{n}@example.org" for n in range(4)]


def test_a_mailing_written_in_a_transaction_that_rolls_back_is_not_stored(app):
    with pytest.raises(RuntimeError), unit_of_work():
        services.enqueue_mailing(
            recipients=[{"key": "x:1", "to_address": "a@example.org", "user_id": None}], subject="S", body="B")
        raise RuntimeError("the change failed")
    assert mailings_waiting() == 0


@pytest.mark.parametrize("recipient", [
    {"key": "x", "to_address": "a@example.org"},  # no user_id
    {"key": "x", "to_address": None, "user_id": None},
    {"key": "x" * 201, "to_address": "a@example.org", "user_id": None},
])
def test_a_recipient_a_message_could_not_be_made_for_is_refused_by_the_writer(app, recipient):
    with pytest.raises((TypeError, ValueError)), unit_of_work():
        services.enqueue_mailing(recipients=[recipient], subject="S", body="B")
    assert mailings_waiting() == 0
