"""`flask outbox send`: send what is waiting in the outbox, whichever feature wrote it."""

import click
from flask.cli import AppGroup

from registry.core.cli_errors import reports_domain_errors

from . import delivery

outbox_cli = AppGroup("outbox", help="The emails the registry has written.")


@outbox_cli.command("send")
@reports_domain_errors
def send_command():
    """Send every message waiting in the outbox over SMTP (`flask reminders send` does this too, after writing).

    A message that cannot be sent stays for a later run: if the server is down, the run
    stops and the next one tries again; if the server refuses the message, it is tried again
    after 5 minutes, then 10, 20, … and at most a day apart. A message that cannot be made
    into an email at all is marked so, with why, and the rest go.
    """
    report = delivery.send_queued()
    for line in report.problems():
        click.echo(line, err=True)
    click.echo(report.summary())
    if not report.ok:
        raise SystemExit(1)
