"""Loading a feature's reference data from a file: the `flask <feature> import` command and its report."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import click
from flask.cli import AppGroup

from .cli_errors import reports_domain_errors
from .unit_of_work import unit_of_work


@dataclass
class ImportReport:
    """What an import of reference data changed: the codes it added and updated, and how many it left alone."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0


def add_import_command(
    group: AppGroup, *, what: str, bundled: Path, read: Callable[[Path], list], load: Callable[[list], ImportReport], help: str
) -> click.Command:
    """Add `flask <group> import [FILE]`: load what `read` finds in the file (the bundled one if none is given) in one transaction."""

    @group.command("import", help=help)
    @click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @reports_domain_errors
    def import_command(file: Path | None) -> None:
        path = file or bundled
        records = read(path)
        with unit_of_work():
            report = load(records)
        click.echo(
            f"{what} from {path.name}: {len(report.created)} added, {len(report.updated)} updated, "
            f"{report.unchanged} unchanged."
        )

    return import_command
