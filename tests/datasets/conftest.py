"""Fixtures for the dataset tests: Leeds, a contributor of Leeds, and a Leeds dataset."""

import pytest

from tests.factories import make_authority, make_dataset, make_user


@pytest.fixture
def leeds(app):
    """Return Leeds City Council."""
    return make_authority(code="LDS", name="Leeds City Council")


@pytest.fixture
def contributor(leeds):
    """Return a contributor of Leeds."""
    return make_user(memberships={leeds: "contributor"})


@pytest.fixture
def dataset(leeds):
    """Return a Leeds dataset with a personal item and a special category item."""
    return make_dataset(authority=leeds, name="Adult social care case records")
