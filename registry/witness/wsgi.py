"""The witness as a WSGI app for gunicorn: `WITNESS_CONFIG=/etc/witness/witness.conf gunicorn registry.witness.wsgi:app`."""

import os

from .app import create_witness_app

app = create_witness_app(os.environ["WITNESS_CONFIG"])
