"""`flask demo load`: a West Yorkshire sharing network, made through the same services as everyone."""

from collections import Counter

import click
from flask import current_app
from flask.cli import AppGroup

from registry.authorities import services as authority_services
from registry.authorities.queries import authority_by_code_or_none
from registry.core.cli_errors import reports_domain_errors
from registry.core.clock import today
from registry.core.unit_of_work import unit_of_work
from registry.legal import queries as legal_queries
from registry.reminders import services as reminder_services
from registry.users import queries as user_queries
from registry.users import services as user_services
from registry.users.actors import COMMAND_LINE, SCHEDULER
from registry.users.roles import Role

from . import story
from .agreements import AGREEMENTS
from .data import DEMO_PASSWORD, DEMO_USERS, PARTNERS
from .datasets import load_datasets

demo_cli = AppGroup("demo", help="Demonstration data for development.")


def _authority(code: str):
    authority = authority_by_code_or_none(code)
    if authority is None:
        raise click.ClickException(f"Authority {code} is missing: run `flask authorities import` first.")
    return authority


def _load_partners() -> int:
    """Add the partner bodies as an administrator would, unless they are there; return how many were added."""
    missing = [partner for partner in PARTNERS if authority_by_code_or_none(partner["code"]) is None]
    for partner in missing:
        authority_services.add_partner(COMMAND_LINE, partner)
    return len(missing)


def _load_users() -> int:
    """Create the demo users with their roles, unless they are there; return how many were created."""
    created = 0
    for person in DEMO_USERS:
        if user_queries.user_by_email(person.email) is not None:
            continue
        user = user_services.create_user(
            COMMAND_LINE, email=person.email, name=person.name, password=DEMO_PASSWORD, system_role=person.system_role
        )
        for code, role in person.memberships:
            user_services.grant_membership(COMMAND_LINE, user, _authority(code), Role(role))
        for code in person.administers:
            user_services.appoint_administrator(COMMAND_LINE, user, _authority(code))
        created += 1
    return created


@demo_cli.command("load")
@reports_domain_errors
def load_command():
    """Load the demo network if it is missing (never in production), and print how to sign in."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("Demo data is for development only; it is never loaded in production.")
    if not legal_queries.all_legal_bases():
        raise click.ClickException("The legal vocabulary is missing: run `flask legal import` first.")
    _authority("LDS")  # the councils come first, from the reference data
    with unit_of_work():
        partners = _load_partners()
        created = _load_users()
        datasets = load_datasets()
    added = Counter()
    for spec in AGREEMENTS:
        with unit_of_work():  # one agreement's story at a time, as the people in it would have acted
            if story.load(spec):
                added[spec.status] += 1
    # Reviews and obligations fall due at every milestone in the demo: tell the people concerned now.
    with unit_of_work():
        reminders = reminder_services.queue_due_reminders(SCHEDULER, today())
    click.echo(f"Demo partner bodies: {partners} added, {len(PARTNERS) - partners} already there.")
    click.echo(f"Demo users: {created} created, {len(DEMO_USERS) - created} already there.")
    click.echo(f"Demo datasets: {datasets} created.")
    total = sum(added.values())
    statuses = ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in sorted(added.items()))
    click.echo(f"Demo agreements: {total} added, {len(AGREEMENTS) - total} already there" + (f" ({statuses})." if total else "."))
    click.echo(f"Reminders told: {len(reminders)}.")
    click.echo(f"Sign in with any of these (password: {DEMO_PASSWORD}):")
    for person in DEMO_USERS:
        click.echo(f"  {person.email:<42} {person.description}")


@demo_cli.command("witnesses")
def witnesses_command():
    """Set up the two demo witnesses (keys, configuration, the 2-of-2 policy); print their configuration files."""
    from .witnesses import set_up_demo_witnesses

    for config in set_up_demo_witnesses():
        click.echo(config)
