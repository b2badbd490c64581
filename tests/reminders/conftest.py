"""Fixtures for the reminder tests: the three councils, and an agreement in force whose reminders go to a real SMTP server."""

from datetime import timedelta

import pytest

from tests.agreements.builders import three_councils

from . import active_agreement, move_to


@pytest.fixture
def councils(app):
    """Leeds, Bradford and Kirklees, each with a viewer, a contributor, two approvers and a dataset."""
    return three_councils()


@pytest.fixture
def agreement(app, councils, smtp_server):
    """A Leeds-led agreement in force with Bradford and Kirklees, with no obligations, and a real SMTP server.

    Today is made 30 days before its review is due, so each of the six approvers has a reminder
    to get; a test that needs another day moves to it (move_to).
    """
    agreement = active_agreement(councils)
    move_to(app, agreement.review_due - timedelta(days=30))
    return agreement
