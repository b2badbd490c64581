"""`flask users …`: create accounts and manage memberships from the command line."""

import click
from flask.cli import AppGroup

from registry.authorities.queries import authority_by_code
from registry.users.actors import COMMAND_LINE
from registry.core.cli_errors import reports_domain_errors
from registry.core.errors import NotFound
from registry.core.unit_of_work import unit_of_work

from . import queries, services
from .roles import Role, SystemRole

users_cli = AppGroup("users", help="Manage user accounts.")


def _user(email: str):
    user = queries.user_by_email(email)
    if user is None:
        raise NotFound(f"There is no account with the email address {email}.")
    return user


def _parse_membership(value: str) -> tuple[str, Role]:
    code, _, role = value.partition("=")
    if not code or role not in {r.value for r in Role}:
        raise click.BadParameter(f"{value!r}: write CODE=ROLE, with ROLE one of viewer, contributor, approver")
    return code, Role(role)


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.password_option("--password", help="Asked for if not given.")
@click.option("--system-role", type=click.Choice([r.value for r in SystemRole]), default=None)
@click.option("--member", "memberships", multiple=True, metavar="CODE=ROLE", help="A role for an authority, e.g. LDS=approver.")
@reports_domain_errors
def create_command(email, name, password, system_role, memberships):
    """Create a user, optionally with system role and roles for authorities."""
    parsed = [_parse_membership(value) for value in memberships]
    with unit_of_work():
        user = services.create_user(COMMAND_LINE, email=email, name=name, password=password, system_role=system_role)
        for code, role in parsed:
            services.grant_membership(COMMAND_LINE, user, authority_by_code(code), role)
    click.echo(f"Created {user.email}.")


@users_cli.command("grant")
@click.argument("email")
@click.argument("membership", metavar="CODE=ROLE")
@reports_domain_errors
def grant_command(email, membership):
    """Give a user a role for an authority (or change the role they have there)."""
    code, role = _parse_membership(membership)
    with unit_of_work():
        user = _user(email)
        services.grant_membership(COMMAND_LINE, user, authority_by_code(code), role)
    click.echo(f"{email} is now {role.value} for {code.upper()}.")


@users_cli.command("revoke")
@click.argument("email")
@click.argument("code")
@reports_domain_errors
def revoke_command(email, code):
    """Take away a user's role for an authority."""
    with unit_of_work():
        user = _user(email)
        authority = authority_by_code(code)
        membership = next((m for m in user.memberships if m.authority_id == authority.id), None)
        if membership is None:
            raise NotFound(f"{email} has no role for {authority.code}.")
        services.revoke_membership(COMMAND_LINE, membership)
    click.echo(f"{email} no longer has a role for {authority.code}.")


@users_cli.command("deactivate")
@click.argument("email")
@reports_domain_errors
def deactivate_command(email):
    """Stop a user signing in or using the API."""
    with unit_of_work():
        services.deactivate_user(COMMAND_LINE, _user(email))
    click.echo(f"{email} has been deactivated.")
