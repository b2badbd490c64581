"""Fixtures for the obligation tests: the three councils and an agreement in force, with its security obligation."""

import pytest

from ..agreements.builders import agreement_in, three_councils


@pytest.fixture
def councils(app):
    """Leeds, Bradford and Kirklees, each with a viewer, a contributor, two approvers and a dataset."""
    return three_councils()


@pytest.fixture
def active(councils):
    """A Leeds-led agreement in force with Bradford and Kirklees (tests/agreements/builders.py)."""
    return agreement_in("active", councils)


@pytest.fixture
def obligation(active):
    """Bradford's annual Cyber Essentials Plus obligation to Leeds, first due 90 days after the start."""
    return next(o for o in active.current_version.obligations if o.type == "security_standard")
