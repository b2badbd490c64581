"""Two cron jobs running `flask reminders send` at the same moment still deliver each reminder once."""

from datetime import timedelta

from registry.auditlog import checks
from registry.reminders import services
from tests.agreements.builders import three_councils
from tests.cron import run_twice_at_once

from . import active_agreement, audit_entries, move_to, outbox


def test_two_runs_at_once_write_and_send_each_reminder_once(app, smtp_server):
    councils = three_councils()
    agreement = active_agreement(councils)
    move_to(app, agreement.review_due - timedelta(days=30))
    runs = run_twice_at_once(app, services.queue_due_reminders)

    assert (runs.written, runs.sent, runs.failed) == (6, 6, 0)
    assert len(smtp_server.messages) == 6
    assert len({tuple(m.envelope.rcpt_tos) for m in smtp_server.messages}) == 6
    assert all(m.attempts == 1 and m.sent_at is not None for m in outbox())
    assert len(audit_entries("reminder.queue")) == 6
    assert checks.verify_database().ok
