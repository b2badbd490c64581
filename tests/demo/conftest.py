"""The demo as `make run` loads it, built once per worker and put back for each test that reads it."""

import pytest

from tests.shared_data import shared_data


@pytest.fixture
def demo(app):
    _load_demo()


@shared_data
def _load_demo():
    """Load the reference data and the demo, as make run does."""
    from flask import current_app

    runner = current_app.test_cli_runner()
    for command in (["authorities", "import"], ["legal", "import"], ["demo", "load"]):
        result = runner.invoke(args=command)
        assert result.exit_code == 0, result.output
