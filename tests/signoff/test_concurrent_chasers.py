"""Two cron jobs running `flask reminders send` at the same moment still send each sign-off chaser once."""

from registry.auditlog import checks
from registry.extensions import db
from registry.signoff import services
from registry.signoff.models import Chase
from tests.cron import run_twice_at_once
from tests.reminders import audit_entries

from .conftest import approve, days_after_sending


def test_two_runs_at_once_send_each_chaser_once(app, councils, proposed, smtp_server):
    approve(councils, proposed, "LDS")
    days_after_sending(app, 7)
    runs = run_twice_at_once(app, services.send_chasers)

    assert runs.written == 2  # Bradford and Kirklees are chased
    assert (runs.sent, runs.failed) == (4, 0)  # their two approvers each
    assert len(smtp_server.messages) == 4
    assert len({tuple(m.envelope.rcpt_tos) for m in smtp_server.messages}) == 4
    assert db.session.query(Chase).count() == 2
    assert len(audit_entries("agreement.chase")) == 2
    assert checks.verify_database().ok
