"""Running a scheduled job twice at the same moment, in two processes, as two cron jobs would."""

import multiprocessing
from dataclasses import dataclass


@dataclass(frozen=True)
class RunsReport:
    """What the two runs did between them."""

    written: int
    sent: int
    failed: int


def _run_once(database_url, instance_path, overrides, job, barrier, results):
    """One cron job in its own process: write what the job finds due, then send the outbox."""
    from registry import create_app
    from registry.core.clock import today
    from registry.core.unit_of_work import unit_of_work
    from registry.outbox import delivery
    from registry.users.actors import SCHEDULER

    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": database_url, **overrides}, instance_path=instance_path)
    with app.app_context():
        barrier.wait(timeout=60)
        with unit_of_work():
            written = job(SCHEDULER, today())
        report = delivery.send_queued()
        results.put((len(written), len(report.sent), len(report.failed)))


def run_twice_at_once(app, job) -> RunsReport:
    """Start two processes that run `job(SCHEDULER, today)` at the same moment and send the outbox.

    The job must be a module-level function (the processes are spawned, so it travels by name).
    """
    overrides = {name: app.config[name] for name in ("TODAY", "MAIL_SERVER", "MAIL_PORT")}
    spawn = multiprocessing.get_context("spawn")
    barrier, results = spawn.Barrier(2), spawn.Queue()
    workers = [
        spawn.Process(
            target=_run_once,
            args=(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path, overrides, job, barrier, results),
        )
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0]
    reports = [results.get(timeout=5) for _ in workers]
    return RunsReport(*(sum(column) for column in zip(*reports)))
