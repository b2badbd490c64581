"""The witness as a WSGI app for gunicorn: `WITNESS_CONFIG=/etc/witness/witness.conf gunicorn registry.witness.wsgi:app`.

The configuration is read at the first request, not on import, so that importing the package
(as the tests and tools do) needs no WITNESS_CONFIG.
"""

import functools
import os

from .app import WitnessApp, create_witness_app


@functools.cache
def _witness_app() -> WitnessApp:
    return create_witness_app(os.environ["WITNESS_CONFIG"])


def app(environ, start_response):
    return _witness_app()(environ, start_response)
