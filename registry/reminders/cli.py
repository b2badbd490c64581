"""`flask reminders send`: tell people the reminders and sign-off chasers due, then send the outbox."""

import click
from flask import current_app
from flask.cli import AppGroup

from registry.users.actors import SCHEDULER
from registry.core.cli_errors import reports_domain_errors
from registry.core.clock import today
from registry.core.db import utcnow
from registry.core.unit_of_work import unit_of_work
from registry.extensions import db
from registry.outbox import delivery, queries as outbox_queries
from registry.signoff import queries as signoff_queries, services as signoff_services

from . import queries, services

reminders_cli = AppGroup("reminders", help="Email reminders of reviews and obligations.")


@reminders_cli.command("send")
@click.option("--dry-run", is_flag=True, help="Print the reminders that would be written; write and send nothing.")
@reports_domain_errors
def send_command(dry_run: bool):
    """Remind the parties 90, 30 and 7 days before review and obligation dates, and when overdue.

    Approvers are reminded unless they turned that kind of reminder off, contributors only if
    they asked: each in their notifications, and by email at once or in the daily digest as
    they chose (Your account, How you hear of things).

    It also chases the parties that have not approved a proposed version after
    SIGNOFF_CHASE_AFTER_DAYS (default 7), and tells their administrators after twice that.

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
            click.echo(f"{reminder.key} to {reminder.recipient.email} ({reminder.delivery})")
        chasers = signoff_queries.due_chasers(day, current_app.config["SIGNOFF_CHASE_AFTER_DAYS"])
        for chaser in chasers:
            click.echo(f"sign-off {chaser.kind}: {signoff_queries.describe(chaser)}")
        waiting = len(outbox_queries.unsent_messages(utcnow()))
        db.session.rollback()
        click.echo(f"{len(planned)} would be written, {waiting} already written would be sent")
        if chasers:
            click.echo(f"{len(chasers)} sign-off chaser{'s' if len(chasers) != 1 else ''} would be written")
        return
    with unit_of_work():
        written = services.queue_due_reminders(SCHEDULER, day)
    # A unit of work of its own: the chasers and the reminders do not depend on each other,
    # each is written once however often this runs, so one failing need not undo the other.
    with unit_of_work():
        chased = signoff_services.send_chasers(SCHEDULER, day)
    report = delivery.send_queued()
    for line in report.problems():
        click.echo(line, err=True)
    click.echo(f"{len(written)} written, {report.summary()}")
    if chased:
        click.echo(f"{len(chased)} sign-off chaser{'s' if len(chased) != 1 else ''} written")
    if not report.ok:
        raise SystemExit(1)
