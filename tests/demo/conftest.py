"""The demo as `make run` loads it, built once per worker and put back for each test that reads it."""

import pytest

from .crawl import load_demo


@pytest.fixture
def demo(app):
    load_demo()
