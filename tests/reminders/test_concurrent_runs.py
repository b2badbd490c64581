"""Two cron jobs running `flask reminders send` at the same moment still deliver each reminder once."""

import multiprocessing
from datetime import timedelta

from registry.auditlog import checks
from tests.agreements.builders import three_councils

from . import active_agreement, audit_entries, move_to, outbox


def _run_in_another_process(database_url, instance_path, overrides, barrier, results):
    """Run in its own process, as a second cron job would: write the reminders due, then send them."""
    from registry import create_app
    from registry.users.actors import SCHEDULER
    from registry.core.clock import today
    from registry.core.unit_of_work import unit_of_work
    from registry.outbox import delivery
    from registry.reminders import services

    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": database_url, **overrides}, instance_path=instance_path)
    with app.app_context():
        barrier.wait(timeout=60)
        with unit_of_work():
            written = services.queue_due_reminders(SCHEDULER, today())
        report = delivery.send_queued()
        results.put((len(written), len(report.sent), len(report.failed)))


def test_two_runs_at_once_write_and_send_each_reminder_once(app, smtp_server):
    councils = three_councils()
    agreement = active_agreement(councils)
    move_to(app, agreement.review_due - timedelta(days=30))
    overrides = {name: app.config[name] for name in ("TODAY", "MAIL_SERVER", "MAIL_PORT")}

    spawn = multiprocessing.get_context("spawn")
    barrier, results = spawn.Barrier(2), spawn.Queue()
    workers = [
        spawn.Process(target=_run_in_another_process,
                      args=(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path, overrides, barrier, results))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0]

    reports = [results.get(timeout=5) for _ in workers]
    assert sum(written for written, _, _ in reports) == 6
    assert sum(sent for _, sent, _ in reports) == 6
    assert all(failed == 0 for _, _, failed in reports)
    assert len(smtp_server.messages) == 6
    assert len({tuple(m.envelope.rcpt_tos) for m in smtp_server.messages}) == 6
    assert all(m.attempts == 1 and m.sent_at is not None for m in outbox())
    assert len(audit_entries("reminder.queue")) == 6
    assert checks.verify_database().ok
