"""Reminders sent through a server that insists on STARTTLS and a login, as a council's mail relay would."""

from datetime import timedelta

import pytest

from tests.agreements.builders import three_councils
from tests.conftest import SMTP_LOGIN, SMTP_PASSWORD

from . import active_agreement, move_to, outbox, send


@pytest.fixture
def agreement(app):
    agreement = active_agreement(three_councils())
    move_to(app, agreement.review_due - timedelta(days=30))
    return agreement


@pytest.fixture
def secure_settings(app, secure_smtp_server, monkeypatch):
    """Settings for the secure server, whose self-signed certificate the client trusts (as it would a real CA's)."""
    app.config.update(MAIL_USE_TLS=True, MAIL_USERNAME=SMTP_LOGIN, MAIL_PASSWORD=SMTP_PASSWORD)
    monkeypatch.setenv("SSL_CERT_FILE", secure_smtp_server.certificate)
    return secure_smtp_server


def test_mail_goes_over_starttls_after_signing_in(runner, agreement, secure_settings):
    result = send(runner)

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "6 written, 6 sent, 0 failed"
    assert len(secure_settings.messages) == 6
    assert all(m.encrypted and m.login == SMTP_LOGIN for m in secure_settings.messages)


def test_a_wrong_password_sends_nothing_and_is_not_kept(app, runner, agreement, secure_settings):
    app.config["MAIL_PASSWORD"] = "not-the-password"

    result = send(runner)

    assert result.exit_code == 1
    assert secure_settings.messages == []
    assert "6 written, 0 sent, 1 failed" in result.output
    first, *others = outbox()
    assert first.sent_at is None and "SMTPAuthenticationError" in first.last_error
    assert "not-the-password" not in first.last_error
    assert all(m.sent_at is None and m.attempts == 0 for m in others)


def test_a_server_certificate_nobody_vouches_for_is_refused(app, runner, agreement, secure_smtp_server):
    # The certificate is not trusted here: the client must not send the password or the mail.
    app.config.update(MAIL_USE_TLS=True, MAIL_USERNAME=SMTP_LOGIN, MAIL_PASSWORD=SMTP_PASSWORD)

    result = send(runner)

    assert result.exit_code == 1
    assert secure_smtp_server.messages == []
    assert "SSLCertVerificationError" in outbox()[0].last_error
    assert not any(m.sent_at for m in outbox())


def test_without_starttls_the_server_refuses_and_nothing_is_lost(app, runner, agreement, secure_smtp_server):
    app.config.update(MAIL_USE_TLS=False, MAIL_USERNAME="", MAIL_PASSWORD="")

    result = send(runner)

    assert result.exit_code == 1
    assert secure_smtp_server.messages == []
    assert len(outbox()) == 6 and not any(m.sent_at for m in outbox())
    assert "STARTTLS" in outbox()[0].last_error, outbox()[0].last_error
