"""`flask agreements tick`: the scheduled job that applies date-driven transitions."""

import click
from flask.cli import AppGroup

from registry.users.actors import SCHEDULER
from registry.core.errors import DomainError
from registry.core.unit_of_work import unit_of_work
from registry.extensions import db

from . import queries, services
from .models import Agreement

agreements_cli = AppGroup("agreements", help="Data-sharing agreements.")

STEPS = (
    ("started", queries.due_to_start, services.start),
    ("expired", queries.past_their_end, services.expire),
    ("under review", queries.due_for_review, services.start_review),
)


@agreements_cli.command("tick")
def tick_command():
    """Start approved agreements on their start date, expire those past their end, start due reviews.

    Safe to run from cron every few minutes: each agreement moves once, each in its own
    transaction, so one that fails does not hold up the rest.
    """
    failures = 0
    for label, due, transition in STEPS:
        moved = []
        for agreement_id in due():
            try:
                with unit_of_work():
                    moved.append(transition(SCHEDULER, db.session.get(Agreement, agreement_id)).reference)
            except DomainError as error:
                failures += 1
                click.echo(f"Agreement {agreement_id} was not {label}: {error.message}", err=True)
        click.echo(f"{len(moved)} {label}" + (f": {', '.join(moved)}" if moved else ""))
    if failures:
        raise SystemExit(1)
