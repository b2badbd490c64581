"""Fixtures for notifications: three councils with their people, an outsider, and what a real SMTP server received."""

from collections import defaultdict

import pytest
import sqlalchemy as sa

from registry.agreements import services
from registry.extensions import db
from registry.outbox.models import OutboxMailing, OutboxMessage
from tests.agreements.builders import agreement_in, complete_draft, three_councils
from tests.factories import make_authority, make_user


@pytest.fixture
def councils(app):
    return three_councils()


@pytest.fixture
def outsider(app):
    """An approver of a council that is no party to anything here."""
    return make_user(name="York approver", memberships={make_authority(code="YOR", name="City of York Council"): "approver"})


def start_listening() -> None:
    """Forget what the outbox holds so far: a test reads only what its own action wrote."""
    db.session.execute(sa.delete(OutboxMessage))
    db.session.execute(sa.delete(OutboxMailing))
    db.session.commit()


@pytest.fixture
def proposed(councils):
    agreement = complete_draft(councils)
    services.submit(councils["LDS"].contributor, agreement)
    db.session.commit()
    start_listening()
    return agreement


@pytest.fixture
def active(councils):
    agreement = agreement_in("active", councils)
    start_listening()
    return agreement


class Mailbox:
    """What the SMTP server received once the outbox was sent, by recipient address."""

    def __init__(self, runner, smtp_server) -> None:
        self.runner, self.smtp_server = runner, smtp_server

    def received(self) -> dict[str, list]:
        """Send whatever the outbox holds; return every email the server has received, by recipient."""
        result = self.runner.invoke(args=["outbox", "send"])
        assert result.exit_code == 0, result.output
        by_address = defaultdict(list)
        for message in self.smtp_server.messages:
            for address in message.envelope.rcpt_tos:
                by_address[address].append(message.email)
        return dict(by_address)


@pytest.fixture
def mailbox(runner, smtp_server):
    return Mailbox(runner, smtp_server)


def addresses(*people) -> set[str]:
    return {person.email for person in people}


def text_of(email) -> str:
    """Return the plain-text part of an email."""
    part = email.get_body(preferencelist=("plain",))
    return part.get_content().replace("\r\n", "\n")


def subject(email) -> str:
    """Return an email's subject as a mail client shows it.

    Python's parser keeps the space that begins a folded header's continuation line (a
    subject longer than a line arrives as "Subject:" and the text on the next line).
    """
    return email["Subject"].strip()
