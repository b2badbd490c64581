"""`flask legal …`: load the legal vocabulary's reference data."""

from pathlib import Path

import click
from flask.cli import AppGroup

from registry.users.actors import COMMAND_LINE
from registry.core.cli_errors import reports_domain_errors
from registry.core.unit_of_work import unit_of_work

from . import services
from .reference import BUNDLED_FILE, read_legal_bases

legal_cli = AppGroup("legal", help="The legal vocabulary.")


@legal_cli.command("import")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@reports_domain_errors
def import_command(file: Path | None) -> None:
    """Create or update legal bases from a reference JSON file (the bundled copy if none is given).

    Safe to run again: unchanged bases are left alone, changed ones are updated, all in one transaction.
    """
    path = file or BUNDLED_FILE
    records = read_legal_bases(path)
    with unit_of_work():
        report = services.import_legal_bases(COMMAND_LINE, records)
    click.echo(
        f"Legal bases from {path.name}: {len(report.created)} added, {len(report.updated)} updated, "
        f"{report.unchanged} unchanged."
    )
