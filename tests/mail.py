"""Reading what the account emails said, from the outbox: the messages to an address, and the link in one."""

import re

import sqlalchemy as sa

from registry.extensions import db
from registry.outbox.models import OutboxMessage


def messages_to(address: str) -> list[OutboxMessage]:
    """Return the outbox's messages to the address, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.to_address == address).order_by(OutboxMessage.id)))


def link_in(text: str, path: str) -> str:
    """Return the first absolute link in the text whose path starts with `path` (e.g. "/join/")."""
    match = re.search(r"https?://[^/\s]+" + re.escape(path) + r"[^\s<>\"]*", text)
    assert match, f"no link to {path} in:\n{text}"
    return match.group(0)


def token_in(text: str, path: str) -> str:
    """Return the token at the end of the first link to `path` in the text."""
    return link_in(text, path).rsplit("/", 1)[1]


def path_of(link: str) -> str:
    """Return a link's path, for the test client."""
    return "/" + link.split("/", 3)[3]
