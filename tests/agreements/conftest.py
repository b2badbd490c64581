"""Fixtures for the agreement tests: the three councils, and a Leeds-led agreement with Bradford and Kirklees at each stage."""

import pytest

from .builders import agreement_in, complete_draft, three_councils


@pytest.fixture
def councils(app):
    """Leeds, Bradford and Kirklees, each with a viewer, a contributor, two approvers and a dataset."""
    return three_councils()


@pytest.fixture
def lds_contributor(councils, signed_in_client):
    """A client signed in as Leeds's contributor."""
    return signed_in_client(councils["LDS"].contributor)


@pytest.fixture
def draft(councils):
    """A complete draft led by Leeds, with Bradford and Kirklees as parties."""
    return complete_draft(councils)


@pytest.fixture
def proposed(councils):
    """The complete draft, submitted by Leeds's contributor: waiting for every party's approval."""
    return agreement_in("proposed", councils)


@pytest.fixture
def active(councils):
    """The agreement approved by every party and started: in force."""
    return agreement_in("active", councils)
