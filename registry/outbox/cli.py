"""`flask mail send` and `flask mail worker`: deliver what waits in the outbox, whichever feature wrote it (`flask outbox send` too)."""

import logging
import signal

import click
from flask.cli import AppGroup

from registry.core.cli_errors import reports_domain_errors

from . import delivery, worker

mail_cli = AppGroup("mail", help="Deliver the emails the registry has written.")
# The name cron lines used before `flask mail`: the same command.
outbox_cli = AppGroup("outbox", help="The emails the registry has written (`flask mail` does the same).")


@mail_cli.command("send")
@reports_domain_errors
def send_command():
    """Deliver every message waiting in the outbox, then exit (for cron; `flask reminders send` does this too, after writing).

    A message that cannot be sent stays for a later run: if the mail service is down, the
    run stops and the next one tries again; if the service refuses the message, it is tried
    again after 5 minutes, then 10, 20, … and at most a day apart. A message that cannot be
    made into an email at all is marked so, with why, and the rest go.
    """
    report = delivery.send_queued()
    for line in report.problems():
        click.echo(line, err=True)
    click.echo(report.summary())
    if not report.ok:
        raise SystemExit(1)


outbox_cli.add_command(send_command, "send")


@mail_cli.command("worker")
def worker_command():
    """Deliver new messages as they are written (within seconds), until stopped with SIGTERM or Ctrl+C.

    On PostgreSQL it wakes when a message is written (LISTEN/NOTIFY), on SQLite it looks
    every 2 seconds (MAIL_WORKER_POLL_SECONDS). A database or mail service that is down is
    waited out; it never stops on a bad message. Safe beside other workers and cron.
    """
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("registry.outbox").setLevel(logging.INFO)
    stop = worker.StopFlag()
    signal.signal(signal.SIGTERM, stop.set)
    signal.signal(signal.SIGINT, stop.set)
    worker.run(stop)
