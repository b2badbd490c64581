"""Fixtures for the witness: its key, a log it watches, and the witness as a WSGI app under a test client."""

import pytest
from werkzeug.test import Client

from registry.witness.app import WitnessApp
from registry.witness.cosignature import generate_cosigner
from registry.witness.state import WitnessState
from registry.witness.witnessing import Witness

from .logs import MemoryLog

NOW = 1_765_000_000


@pytest.fixture
def log():
    return MemoryLog().append(5)


@pytest.fixture
def cosigner():
    return generate_cosigner("example.org/test-witness")


@pytest.fixture
def state_file(tmp_path):
    return tmp_path / "witness.sqlite3"


@pytest.fixture
def witness(cosigner, log, state_file):
    state = WitnessState(state_file)
    yield Witness(cosigner, {log.origin: [log.verifier_key]}, state, clock=lambda: NOW)
    state.close()


@pytest.fixture
def post(witness):
    """POST a body to /add-checkpoint; return the response."""
    client = Client(WitnessApp(witness))
    return lambda body: client.post("/add-checkpoint", data=body)
