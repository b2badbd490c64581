"""`flask agreements import FILE [--dry-run]`: bring a register in from the command line."""

from pathlib import Path

import click

from registry.core.errors import DomainError
from registry.core.unit_of_work import unit_of_work
from registry.users.actors import COMMAND_LINE

from . import services
from .reading import Upload


def _say_refusal(error: DomainError) -> None:
    click.echo(error.message, err=True)
    for field, messages in (getattr(error, "fields", None) or {}).items():
        for message in messages:
            click.echo(f"  {message}" if field == "rows" else f"  {field}: {message}", err=True)


def _say_plan(plan: services.Plan, *, done: bool) -> None:
    for row in plan.rows:
        if row.already_imported_as:
            click.echo(f"Row {row.row}: already imported as {row.already_imported_as}")
        elif row.created_as:
            click.echo(f"Row {row.row}: created {row.created_as} “{row.values['title']}”")
        elif row.to_create:
            click.echo(f"Row {row.row}: would create “{row.values['title']}” led by {row.lead.name}")
        for problem in row.problems:
            click.echo(str(problem), err=True)
    made = len(plan.created) if done else len(plan.rows_to_create)
    click.echo(f"{made} {'created' if done else 'to create'}, {len(plan.rows_already_imported)} already imported, "
               f"{len(plan.problems)} problems")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and say what would be created; change nothing.")
@click.option("--in-force", is_flag=True, help="Import as records in force, signed outside the registry (else drafts).")
@click.option("--only-valid", is_flag=True, help="Import the rows with no problem and skip the others (else all or nothing).")
def import_command(file: Path, dry_run: bool, in_force: bool, only_valid: bool):
    """Import agreements from a CSV, XLSX or ODS register, in one transaction."""
    upload = Upload(file.name, file.read_bytes())
    try:
        if dry_run:
            plan = services.check_import(COMMAND_LINE, upload, in_force=in_force)
        else:
            with unit_of_work():
                plan = services.import_agreements(COMMAND_LINE, upload, in_force=in_force, only_valid=only_valid)
    except DomainError as error:
        _say_refusal(error)
        raise SystemExit(1)
    _say_plan(plan, done=not dry_run)
    if dry_run and plan.problems:
        raise SystemExit(1)
