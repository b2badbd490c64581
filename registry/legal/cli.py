"""`flask legal …`: load the legal vocabulary's reference data."""

from functools import partial

from flask.cli import AppGroup

from registry.core.reference_data import add_import_command
from registry.users.actors import COMMAND_LINE

from . import services
from .reference import BUNDLED_FILE, read_legal_bases

legal_cli = AppGroup("legal", help="The legal vocabulary.")

import_command = add_import_command(
    legal_cli,
    what="Legal bases",
    bundled=BUNDLED_FILE,
    read=read_legal_bases,
    load=partial(services.import_legal_bases, COMMAND_LINE),
    help="""Create or update legal bases from a reference JSON file (the bundled copy if none is given).

    Safe to run again: unchanged bases are left alone, changed ones are updated, all in one transaction.
    """,
)
