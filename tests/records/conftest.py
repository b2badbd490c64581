"""Fixtures for the PDF record tests: the three councils and an agreement in force."""

import pytest

from ..agreements.builders import agreement_in, three_councils


@pytest.fixture
def councils(app):
    """Leeds, Bradford and Kirklees, each with a viewer, a contributor, two approvers and a dataset."""
    return three_councils()


@pytest.fixture
def active(councils):
    """A Leeds-led agreement in force with Bradford and Kirklees, approved by all three (tests/agreements/builders.py)."""
    return agreement_in("active", councils)


@pytest.fixture
def record(councils, active, signed_in_client) -> bytes:
    """The PDF record of the agreement's version 1, as Leeds's viewer downloads it."""
    response = signed_in_client(councils["LDS"].viewer).get(f"/agreements/{active.reference}/versions/1/record.pdf")
    assert response.status_code == 200, response.status_code
    return response.get_data()
