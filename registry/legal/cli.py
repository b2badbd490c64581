"""`flask legal …` (being written)."""

from flask.cli import AppGroup

legal_cli = AppGroup("legal", help="The legal vocabulary.")
