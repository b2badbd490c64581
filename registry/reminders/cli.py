"""`flask reminders send`: write the reminders due into the outbox, then send the outbox over SMTP."""

import click
from flask.cli import AppGroup

from registry.users.actors import SCHEDULER
from registry.core.cli_errors import reports_domain_errors
from registry.core.clock import today
from registry.core.db import utcnow
from registry.core.unit_of_work import unit_of_work
from registry.extensions import db
from registry.outbox import delivery, queries as outbox_queries

from . import queries, services

reminders_cli = AppGroup("reminders", help="Email reminders of reviews and obligations.")


@reminders_cli.command("send")
@click.option("--dry-run", is_flag=True, help="Print the reminders that would be written; write and send nothing.")
@reports_domain_errors
def send_command(dry_run: bool):
    """Email the approvers 90, 30 and 7 days before review and obligation dates, and when overdue.

    Safe to run from cron every few minutes, even two at once: each reminder is written
    once, and sent once. A message that cannot be sent stays in the outbox for a later run:
    if the server is down, the run stops and the next one tries again; if the server refuses
    the message, it is tried again after 5 minutes, then 10, 20, … and at most a day apart.
    A message that cannot be made into an email at all is marked so, with why, and the rest go.
    """
    day = today()
    if dry_run:
        planned = sorted(queries.unwritten(queries.reminders_due(day)), key=lambda r: r.key)
        for reminder in planned:
            click.echo(f"{reminder.key} to {reminder.recipient.email}")
        waiting = len(outbox_queries.unsent_messages(utcnow()))
        db.session.rollback()
        click.echo(f"{len(planned)} would be written, {waiting} already written would be sent")
        return
    with unit_of_work():
        written = services.queue_due_reminders(SCHEDULER, day)
    report = delivery.send_queued()
    for line in report.problems():
        click.echo(line, err=True)
    click.echo(f"{len(written)} written, {report.summary()}")
    if not report.ok:
        raise SystemExit(1)
