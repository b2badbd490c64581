"""Two cron jobs running `flask reminders send` at the same moment still send each sign-off chaser once."""

import multiprocessing

from registry.auditlog import checks
from registry.extensions import db
from registry.signoff.models import Chase
from tests.reminders import audit_entries

from .conftest import approve, days_after_sending


def _chase_in_another_process(database_url, instance_path, overrides, barrier, results):
    """Run in its own process, as a second cron job would: write the chasers due, then send the outbox."""
    from registry import create_app
    from registry.core.clock import today
    from registry.core.unit_of_work import unit_of_work
    from registry.outbox import delivery
    from registry.signoff import services
    from registry.users.actors import SCHEDULER

    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": database_url, **overrides}, instance_path=instance_path)
    with app.app_context():
        barrier.wait(timeout=60)
        with unit_of_work():
            chased = services.send_chasers(SCHEDULER, today())
        report = delivery.send_queued()
        results.put((len(chased), len(report.sent), len(report.failed)))


def test_two_runs_at_once_send_each_chaser_once(app, councils, proposed, smtp_server):
    approve(councils, proposed, "LDS")
    days_after_sending(app, 7)
    overrides = {name: app.config[name] for name in ("TODAY", "MAIL_SERVER", "MAIL_PORT")}

    spawn = multiprocessing.get_context("spawn")
    barrier, results = spawn.Barrier(2), spawn.Queue()
    workers = [
        spawn.Process(target=_chase_in_another_process,
                      args=(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path, overrides, barrier, results))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0]

    reports = [results.get(timeout=5) for _ in workers]
    assert sum(chased for chased, _, _ in reports) == 2  # Bradford and Kirklees
    assert sum(sent for _, sent, _ in reports) == 4  # their two approvers each
    assert len(smtp_server.messages) == 4
    assert len({tuple(m.envelope.rcpt_tos) for m in smtp_server.messages}) == 4
    assert db.session.query(Chase).count() == 2
    assert len(audit_entries("agreement.chase")) == 2
    assert checks.verify_database().ok
