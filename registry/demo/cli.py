"""`flask demo load`: create the demonstration accounts, through the same services as everyone."""

import click
from flask import current_app
from flask.cli import AppGroup

from registry.authorities.queries import authority_by_code_or_none
from registry.legal import queries as legal_queries
from registry.users.actors import COMMAND_LINE
from registry.core.cli_errors import reports_domain_errors
from registry.core.unit_of_work import unit_of_work
from registry.users import queries as user_queries
from registry.users import services as user_services
from registry.users.roles import Role

from . import agreement as demo_agreement
from .data import DEMO_PASSWORD, DEMO_USERS

demo_cli = AppGroup("demo", help="Demonstration data for development.")


def _authority(code: str):
    authority = authority_by_code_or_none(code)
    if authority is None:
        raise click.ClickException(f"Authority {code} is missing: run `flask authorities import` first.")
    return authority


@demo_cli.command("load")
@reports_domain_errors
def load_command():
    """Create the demo users if they are missing (never in production), and print how to sign in."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("Demo data is for development only; it is never loaded in production.")
    if not legal_queries.all_legal_bases():
        raise click.ClickException("The legal vocabulary is missing: run `flask legal import` first.")
    created = 0
    with unit_of_work():
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
    with unit_of_work():
        datasets = demo_agreement.load_datasets()
        agreement = demo_agreement.load_agreement()
        active = demo_agreement.load_active_agreement()
    click.echo(f"Demo users: {created} created, {len(DEMO_USERS) - created} already there.")
    click.echo(f"Demo datasets: {datasets} created. Demo agreement: {'proposed, waiting for the approvers' if agreement else 'already there'}.")
    click.echo(f"Demo agreement in force: {'started, with an obligation overdue' if active else 'already there'}.")
    click.echo(f"Sign in with any of these (password: {DEMO_PASSWORD}):")
    for person in DEMO_USERS:
        click.echo(f"  {person.email:<42} {person.description}")
