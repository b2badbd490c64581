"""`flask reminders send` delivers each reminder once to a real SMTP server, and loses nothing when it is down."""

import socket
from datetime import timedelta

import sqlalchemy as sa

from registry.core.db import utcnow
from registry.core.templating import format_date
from registry.extensions import db
from registry.outbox import delivery, smtp
from registry.notifications.models import Notice
from registry.outbox.models import OutboxMessage
from tests.notifications.conftest import text_of

from . import add_obligation, audit_entries, keys, outbox, move_to, send


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_run_twice_each_reminder_reaches_the_smtp_server_once(runner, councils, agreement, smtp_server):
    first = send(runner)
    second = send(runner)
    assert first.exit_code == 0 and first.output.strip() == "6 written, 6 sent, 0 failed"
    assert second.exit_code == 0 and second.output.strip() == "0 written, 0 sent, 0 failed"
    received = sorted(rcpt for m in smtp_server.messages for rcpt in m.envelope.rcpt_tos)
    approvers = [p for code in ("LDS", "BRD", "KIR") for p in (councils[code].approver, councils[code].second_approver)]
    assert received == sorted(p.email for p in approvers)
    assert all(m.sent_at is not None and m.attempts == 1 and m.last_error == "" for m in outbox())


def test_the_email_names_the_agreement_the_date_and_the_recipient_only(app, runner, councils, agreement, smtp_server):
    send(runner)
    bradford = councils["BRD"].approver
    email = next(m.email for m in smtp_server.messages if m.envelope.rcpt_tos == [bradford.email])
    body = text_of(email)
    host = app.config["SERVICE_HOST"]
    assert email["To"] == bradford.email
    assert email["From"] == f"registry@{host}"
    assert email["Auto-Submitted"] == "auto-generated"
    assert email["Subject"] == f"Review due in 30 days: {agreement.reference} Supporting families"
    assert body.startswith(f"Dear {bradford.name},")
    assert f"{agreement.reference}, Supporting families, is due for review on {format_date(agreement.review_due)}" in body
    assert "an approver for Bradford Council, a party to this agreement" in body
    assert f"See the agreement:\nhttps://{host}/agreements/{agreement.reference}\n" in body
    assert f"To choose how you hear of this:\nhttps://{host}/account/notifications" in body
    assert email["List-Unsubscribe"].strip() == f"<https://{host}/account/notifications>"
    others = [p for c in councils.values() for p in (c.viewer, c.contributor, c.approver, c.second_approver) if p != bradford]
    assert not any(p.name in body or p.email in body for p in others)


def test_an_obligation_email_says_who_owes_what_and_when(runner, councils, agreement, smtp_server):
    due = agreement.review_due - timedelta(days=60)
    add_obligation(agreement, owed_by="BRD", due=due)
    move_to(runner.app, due + timedelta(days=1))
    send(runner)
    owing = next(m.email for m in smtp_server.messages if m.envelope.rcpt_tos == [councils["BRD"].approver.email])
    owed = next(m.email for m in smtp_server.messages if m.envelope.rcpt_tos == [councils["LDS"].approver.email]
                and m.email["Subject"].startswith("Obligation"))
    assert owing["Subject"] == f"Obligation overdue: Retention and deletion, {agreement.reference}"
    assert "Bradford Council owes Leeds City Council and Kirklees Council an obligation" in text_of(owing)
    assert f"It was due on {format_date(due)} (overdue)." in text_of(owing)
    assert "an approver for Bradford Council, which owes it" in text_of(owing)
    assert "an approver for Leeds City Council, which it is owed to" in text_of(owed)


def test_an_obligation_reminder_takes_the_owing_partys_approvers_to_the_attest_page(app, runner, signed_in_client, councils,
                                                                                   agreement, smtp_server):
    due = agreement.review_due - timedelta(days=60)
    obligation = add_obligation(agreement, owed_by="BRD", due=due)
    move_to(runner.app, due - timedelta(days=7))
    send(runner)
    bradford = councils["BRD"].approver
    [email] = [m.email for m in smtp_server.messages if m.envelope.rcpt_tos == [bradford.email]
               and m.email["Subject"].startswith("Obligation")]
    attest = f"/obligations/{obligation.id}/attest"
    assert f"Attest whether it was met:\nhttps://{app.config['SERVICE_HOST']}{attest}\n" in text_of(email)
    assert f"/agreements/{agreement.reference}\n" not in text_of(email)
    page = signed_in_client(bradford).get(attest)
    assert page.status_code == 200 and "Attest for Bradford Council" in page.get_data(as_text=True)


def test_an_overdue_obligation_takes_those_it_is_owed_to_to_the_agreements_obligations(app, runner, councils, agreement,
                                                                                      smtp_server):
    due = agreement.review_due - timedelta(days=60)
    obligation = add_obligation(agreement, owed_by="BRD", due=due)
    move_to(runner.app, due + timedelta(days=1))
    send(runner)
    [owed] = [m.email for m in smtp_server.messages if m.envelope.rcpt_tos == [councils["LDS"].approver.email]
              and m.email["Subject"].startswith("Obligation")]
    host = app.config["SERVICE_HOST"]
    assert f"See the agreement's obligations:\nhttps://{host}/agreements/{agreement.reference}#obligations\n" in text_of(owed)
    assert f"/obligations/{obligation.id}/attest" not in text_of(owed)


def test_when_the_smtp_server_is_down_nothing_is_lost_and_the_next_run_sends_it(app, runner, agreement, smtp_server):
    app.config["MAIL_PORT"] = _closed_port()
    down = send(runner)
    assert down.exit_code == 1
    assert "6 written, 0 sent, 1 failed" in down.output
    # One failed connection is enough to know: the run does not wait on the others.
    assert "Stopped sending: the mail server failed" in down.output
    assert smtp_server.messages == []
    first, *others = outbox()
    assert len(others) == 5 and all(m.sent_at is None for m in [first, *others])
    assert first.attempts == 1 and "ConnectionRefusedError" in first.last_error
    assert first.next_attempt_at is None  # the server's fault, not the message's: no waiting
    assert all(m.attempts == 0 and m.last_error == "" for m in others)

    app.config["MAIL_PORT"] = smtp_server.port
    up = send(runner)
    assert up.exit_code == 0 and up.output.strip() == "0 written, 6 sent, 0 failed"
    assert len(smtp_server.messages) == 6
    assert all(m.sent_at is not None and m.last_error == "" for m in outbox())
    assert [m.attempts for m in outbox()] == [2, 1, 1, 1, 1, 1]


def _five_minutes_pass():
    """Bring every failed message's next attempt five minutes forward, as if the time had passed."""
    for message in db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.next_attempt_at.is_not(None))):
        message.next_attempt_at -= timedelta(minutes=5)
    db.session.commit()


def test_a_refused_message_waits_before_it_is_tried_again_and_the_others_go(runner, councils, agreement, smtp_server):
    refused_address = councils["KIR"].approver.email
    smtp_server.refused.add(refused_address)
    before = utcnow()

    first = send(runner)

    assert first.exit_code == 1 and "6 written, 5 sent, 1 failed" in first.output
    assert "Stopped" not in first.output
    (refused,) = [m for m in outbox() if m.sent_at is None]
    assert refused.to_address == refused_address and "SMTPRecipientsRefused" in refused.last_error
    assert before + timedelta(minutes=5) <= refused.next_attempt_at <= utcnow() + timedelta(minutes=5)

    smtp_server.refused.clear()
    too_soon = send(runner)
    assert too_soon.exit_code == 0 and too_soon.output.strip() == "0 written, 0 sent, 0 failed"
    assert len(smtp_server.messages) == 5

    _five_minutes_pass()
    assert send(runner).output.strip() == "0 written, 1 sent, 0 failed"
    assert [m.email["To"] for m in smtp_server.messages][-1] == refused_address


def test_retries_back_off_to_once_a_day():
    assert [delivery.retry_delay(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (5, 10, 20, 40)]
    assert delivery.retry_delay(9) == timedelta(minutes=5 * 256)
    assert delivery.retry_delay(10) == delivery.retry_delay(1000) == timedelta(days=1)


def test_a_failure_never_keeps_the_password(app, runner, agreement, smtp_server):
    # The test server offers no AUTH, so signing in fails: the error is kept, the password is not.
    app.config.update(MAIL_USERNAME="registry", MAIL_PASSWORD="correct-horse-battery-staple")
    assert send(runner).exit_code == 1
    errors = [m.last_error for m in outbox() if m.last_error]
    assert errors and "SMTPNotSupportedError" in errors[0]
    assert not any("correct-horse" in error for error in errors)


def test_an_error_that_quotes_the_password_is_kept_without_it(app):
    settings = smtp.SmtpSettings("127.0.0.1", 25, False, "registry", "s3cret-pass", "registry@example.org", "example.org")
    described = smtp.describe_failure(OSError("login as registry with s3cret-pass refused"), settings)
    assert "s3cret-pass" not in described and "[hidden]" in described
    assert "s3cret-pass" not in repr(settings)


def test_the_settings_come_from_the_environment_unless_the_app_sets_them(app, monkeypatch):
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("MAIL_PORT", "587")
    monkeypatch.setenv("MAIL_USE_TLS", "true")
    monkeypatch.setenv("MAIL_USERNAME", "registry")
    monkeypatch.setenv("MAIL_PASSWORD", "from-the-environment")
    monkeypatch.setenv("MAIL_FROM", "reminders@example.org")
    settings = smtp.smtp_settings()
    assert (settings.server, settings.port, settings.use_tls, settings.username, settings.password, settings.sender) == (
        "smtp.example.org", 587, True, "registry", "from-the-environment", "reminders@example.org"
    )
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=2525)
    assert (smtp.smtp_settings().server, smtp.smtp_settings().port) == ("127.0.0.1", 2525)


def test_the_settings_have_safe_defaults(app, monkeypatch):
    for name in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_FROM"):
        monkeypatch.delenv(name, raising=False)
    settings = smtp.smtp_settings()
    assert (settings.server, settings.port, settings.use_tls, settings.username) == ("127.0.0.1", 25, False, "")
    assert settings.sender == "registry@" + app.config["SERVICE_HOST"]


def test_a_dry_run_prints_what_would_be_written_and_writes_nothing(runner, councils, agreement, smtp_server):
    result = send(runner, "--dry-run")
    assert result.exit_code == 0
    kirklees = councils["KIR"].approver
    assert (f"review:{agreement.reference}:{agreement.review_due.isoformat()}:30:user-{kirklees.id} "
            f"to {kirklees.email} (email)") in result.output
    assert "6 would be written, 0 already written would be sent" in result.output
    assert outbox() == [] and smtp_server.messages == [] and keys() == set()


def test_each_reminder_told_is_audited_by_its_notice_without_an_email_address(runner, councils, agreement, smtp_server):
    send(runner)
    entries = audit_entries("reminder.queue")
    notices = db.session.scalars(sa.select(Notice).order_by(Notice.id)).all()
    assert len(notices) == 6
    assert sorted(int(e["object"]["ref"]) for e in entries) == [notice.id for notice in notices]
    kirklees = councils["KIR"].approver
    entry = next(e for e in entries if e["data"]["recipient"] == kirklees.id)
    assert entry["object"]["type"] == "notice"
    assert db.session.get(Notice, int(entry["object"]["ref"])).key.endswith(f":user-{kirklees.id}")
    assert entry["actor"] == {"type": "system", "name": "scheduler"}
    assert entry["data"] == {
        "kind": "review", "agreement": agreement.reference, "due": agreement.review_due.isoformat(), "milestone": "30",
        "recipient": kirklees.id,
    }
    assert set(entry["authorities"]) == {"LDS", "BRD", "KIR"}
    assert not any("@" in str(e) for e in entries)
    # Sending changes only the message's status: no entry for it.
    assert audit_entries("reminder.send") == []
