"""`flask authorities …`: load the councils' reference data."""

from functools import partial

from flask.cli import AppGroup

from registry.core.reference_data import add_import_command
from registry.users.actors import COMMAND_LINE

from . import services
from .reference import BUNDLED_FILE, read_councils

authorities_cli = AppGroup("authorities", help="Manage authorities.")

import_command = add_import_command(
    authorities_cli,
    what="Councils",
    bundled=BUNDLED_FILE,
    read=read_councils,
    load=partial(services.import_councils, COMMAND_LINE),
    help="""Create or update councils from a reference CSV file (the bundled copy if none is given).

    Safe to run again: unchanged councils are left alone, changed ones are updated.
    """,
)
