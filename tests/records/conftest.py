"""Fixtures for the PDF record tests: the three councils and an agreement in force."""

import pytest

from tests.obligations.conftest import active, councils

# The three councils and their agreement in force, as the obligation tests have them: pytest finds fixtures by name here.
__all__ = ["active", "councils"]


@pytest.fixture
def record(councils, active, signed_in_client) -> bytes:
    """The PDF record of the agreement's version 1, as Leeds's viewer downloads it."""
    response = signed_in_client(councils["LDS"].viewer).get(f"/agreements/{active.reference}/versions/1/record.pdf")
    assert response.status_code == 200, response.status_code
    return response.get_data()
