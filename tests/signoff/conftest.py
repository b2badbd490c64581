"""Fixtures for sign-off: the three councils, an outsider, a proposal waiting for every party, and a mailbox."""

from datetime import date, timedelta

import pytest

from registry.agreements import services
from registry.core.clock import UK_TIME
from registry.core.db import utcnow
from registry.extensions import db
from tests.agreements.builders import agreement_in
from tests.notifications.conftest import Mailbox, councils, outsider, start_listening

# The same three councils and outsider as the notifications tests: pytest finds fixtures by their names here.
__all__ = ["councils", "outsider"]


@pytest.fixture
def proposed(councils):
    """A Leeds-led agreement with Bradford and Kirklees, submitted today by Leeds's contributor; its outbox empty."""
    agreement = agreement_in("proposed", councils)
    start_listening()
    return agreement


@pytest.fixture
def mailbox(runner, smtp_server):
    """What a real SMTP server received once the outbox was sent."""
    return Mailbox(runner, smtp_server)


def approve(councils, agreement, *codes: str) -> None:
    """Approve the proposed version for each council named, through the service; forget what that told people."""
    for code in codes:
        services.approve(councils[code].approver, agreement, councils[code].authority,
                         content_hash=agreement.latest_version.content_hash)
    db.session.commit()
    start_listening()


def days_after_sending(app, days: int) -> date:
    """Make the registry's today `days` after the real one, the day the tests' versions are sent; return it."""
    day = utcnow().astimezone(UK_TIME).date() + timedelta(days=days)
    app.config["TODAY"] = day.isoformat()
    return day
