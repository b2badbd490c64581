"""Which backend delivers: SMTP when a server is set, the development mailbox when none is (outside production), Notify when chosen."""

import pytest

from registry.core.errors import DomainError
from registry.outbox import settings
from registry.outbox.models import MAILBOX, NOTIFY, SMTP

from . import add_raw, messages_in_outbox, queue

MAIL_SETTINGS = ("MAIL_BACKEND", "MAIL_SERVER", "NOTIFY_API_KEY", "NOTIFY_TEMPLATE_ID")


@pytest.fixture
def no_mail_settings(app, monkeypatch):
    """Nothing set, in the app or in the environment."""
    for name in MAIL_SETTINGS:
        monkeypatch.delenv(name, raising=False)
        app.config.pop(name, None)
    return app


def test_without_a_mail_server_development_delivers_to_the_mailbox(no_mail_settings):
    assert settings.backend_name() == MAILBOX


def test_a_mail_server_means_smtp(no_mail_settings, monkeypatch):
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.org")
    assert settings.backend_name() == SMTP


def test_production_without_a_mail_server_still_sends_over_smtp_to_this_machine(no_mail_settings):
    no_mail_settings.config["ENV_NAME"] = "production"
    assert settings.backend_name() == SMTP


def test_mail_backend_wins(no_mail_settings):
    no_mail_settings.config.update(MAIL_SERVER="smtp.example.org", MAIL_BACKEND="Notify")
    assert settings.backend_name() == NOTIFY
    no_mail_settings.config.update(ENV_NAME="production", MAIL_BACKEND="mailbox")
    assert settings.backend_name() == MAILBOX


def test_an_unknown_backend_is_refused_before_anything_is_sent(no_mail_settings, runner):
    queue(1)
    no_mail_settings.config["MAIL_BACKEND"] = "carrier-pigeon"
    with pytest.raises(DomainError):
        settings.backend_name()
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 1 and "MAIL_BACKEND must be one of smtp, notify, mailbox" in result.output
    assert [m.attempts for m in messages_in_outbox()] == [0]


def test_the_mailbox_keeps_each_message_and_sends_nothing(no_mail_settings, runner, smtp_server):
    no_mail_settings.config.pop("MAIL_SERVER")  # the server runs, but nothing points at it
    queue(3, html_body="<p>Hello</p>", thread="agreement:DSA-2026-0001")

    result = runner.invoke(args=["mail", "send"])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "3 sent, 0 failed (to the development mailbox: nothing left this machine)"
    assert smtp_server.messages == []
    assert all(m.sent_at is not None and m.sent_via == MAILBOX and m.attempts == 1 for m in messages_in_outbox())
    assert runner.invoke(args=["mail", "send"]).output.strip() == "0 sent, 0 failed"


def test_the_mailbox_gives_up_on_a_message_that_could_never_be_sent(no_mail_settings, runner):
    bad = add_raw(key="raw:bad", to_address="not an address")
    queue(1)
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 1
    assert f"Message {bad.id} cannot be made into an email" in result.output
    by_key = {m.key: m for m in messages_in_outbox()}
    assert by_key["raw:bad"].given_up_at is not None and "is not an email address" in by_key["raw:bad"].last_error
    assert by_key["test:0"].sent_via == MAILBOX


def test_smtp_deliveries_are_marked_as_such(runner, smtp_server):
    queue(2)
    assert runner.invoke(args=["mail", "send"]).output.strip() == "2 sent, 0 failed"
    assert [m.sent_via for m in messages_in_outbox()] == [SMTP, SMTP]
