"""`flask notifications digest`: write the day's digest emails into the outbox (the mail worker sends them)."""

import click
from flask.cli import AppGroup

from registry.core.cli_errors import reports_domain_errors
from registry.core.db import utcnow
from registry.core.unit_of_work import unit_of_work
from registry.users.actors import SCHEDULER

from . import services

notifications_cli = AppGroup("notifications", help="Notifications: the daily digest.")


@notifications_cli.command("digest")
@reports_domain_errors
def digest_command():
    """Write each person's daily digest, once a day from NOTIFICATIONS_DIGEST_HOUR (UK time).

    Safe to run from cron as often as you like (hourly, say): each person gets one digest a
    day, listing what happened since their last, and a run before the hour writes nothing.
    `flask mail send` (or the mail worker) sends what this writes.
    """
    with unit_of_work():
        written = services.send_digests(SCHEDULER, utcnow())
    click.echo(f"{written} digest{'s' if written != 1 else ''} written")
