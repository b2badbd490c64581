"""Making an outbox message into an email: text and HTML, threading and unsubscribe headers, all safe whatever text was stored."""

import hashlib
import logging
from email.headerregistry import HeaderRegistry
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import formatdate, parseaddr
from functools import lru_cache
from urllib.parse import urlsplit

from registry.core.text import is_one_line, one_line

from .models import URL_LENGTH, OutboxMessage

logger = logging.getLogger(__name__)

DEFAULT_SUBJECT = "A message from the registry"


class CannotBuild(Exception):
    """The outbox message cannot be made into an email as it stands; trying again would not help."""


def recipient(address: str) -> str:
    """Return the stored address if it is one plain email address, else refuse it."""
    name, parsed = parseaddr(address)
    if not is_one_line(address) or name or parsed != address.strip() or "@" not in parsed:
        raise CannotBuild(f"the address {address!r} is not an email address")
    return parsed


def is_unsubscribe_url(url: str) -> bool:
    """Return whether the text can go in a List-Unsubscribe header: one http(s) URL, no spaces or angle brackets."""
    if len(url) > URL_LENGTH or not is_one_line(url) or any(c in url for c in " <>") or not url.isascii():
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _host(host: str) -> str:
    # The right-hand side of a Message-ID: a host name, never anything that could end the header.
    return "".join(c for c in one_line(host) if c.isalnum() or c in ".-") or "registry.invalid"


def message_id(message: OutboxMessage, host: str) -> str:
    """Return the message's own Message-ID: the same at every attempt, different for every message.

    The same at a retry, so that a server that took the message before the connection
    dropped and then takes it again shows the recipient one email. The key and the time it
    was written are in the hash, so that a database started afresh (with ids from 1 again)
    never reuses an id that mail programs have already seen, and would hide as a duplicate.
    """
    created = message.created_at.isoformat() if message.created_at else ""
    digest = hashlib.sha256(f"{message.key}\n{created}".encode()).hexdigest()[:16]
    return f"<outbox-{message.id}.{digest}@{_host(host)}>"


def thread_root_id(thread: str, host: str) -> str:
    """Return the Message-ID of a thread's made-up first message: every message in the thread answers it.

    Derived from the thread key alone, so it is the same for every message about one
    agreement, whenever and by whichever process they are built.
    """
    return f"<thread-{hashlib.sha256(thread.encode()).hexdigest()[:24]}@{_host(host)}>"


class _HeaderClasses(HeaderRegistry):
    """The email package's header registry, making each header's class once rather than at every header set.

    HeaderRegistry makes a new class each time a header is set or read; that was a third of
    the time it took to build and send an email. The classes hold no state, so one per name
    serves every message.
    """

    @lru_cache(maxsize=256)  # noqa: B019 (one registry for the life of the process)
    def __getitem__(self, name):
        return super().__getitem__(name)


# The email package's default policy (RFC 5322 and MIME, refusing line breaks in headers).
POLICY = default_policy.clone(header_factory=_HeaderClasses())


@lru_cache(maxsize=64)
def _header(name: str, value: str):
    """Return a parsed header, once for each (name, value): the same sender and date for every message of a run.

    Parsing a header is most of the cost of building an email with the email package; an
    address header costs as much as sending the message. Header objects are immutable, so
    one may be given to many messages.
    """
    return POLICY.header_factory(name, value)


def email_for(message: OutboxMessage, *, sender: str, host: str) -> EmailMessage:
    """Return the email for an outbox message, its headers safe whatever text was stored.

    A subject written before single-line fields refused line breaks, or from any other
    text, is put on one line: a line break in a header would raise here, or worse, add a
    header. An address that is not one address cannot be mended, so it raises CannotBuild.
    An unsubscribe address that is not a plain URL is left out (with a warning in the log)
    rather than stop the message: the preferences page is linked from the body too.
    """
    try:
        email = EmailMessage(policy=POLICY)
        email["From"] = _header("From", one_line(sender))
        email["To"] = recipient(message.to_address)
        email["Subject"] = one_line(message.subject) or DEFAULT_SUBJECT
        email["Date"] = _header("Date", formatdate(usegmt=True))
        email["Message-ID"] = message_id(message, host)
        if message.thread:
            root = thread_root_id(message.thread, host)
            email["In-Reply-To"] = root
            email["References"] = root
            # Outlook groups a conversation by its topic; the subjects in one thread differ.
            email["Thread-Topic"] = one_line(message.thread)
        if message.unsubscribe_url:
            if is_unsubscribe_url(message.unsubscribe_url):
                # No List-Unsubscribe-Post: there is no one-click endpoint, only the preferences page.
                email["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
            else:
                logger.warning("Outbox message %s: its unsubscribe address is not a URL; sent without the header.", message.id)
        # RFC 3834: out-of-office replies and the like should not answer a machine. Exchange
        # ignores that header and honours its own.
        email["Auto-Submitted"] = _header("Auto-Submitted", "auto-generated")
        email["X-Auto-Response-Suppress"] = _header("X-Auto-Response-Suppress", "All")
        email.set_content(message.body)
        if message.html_body:
            email.add_alternative(message.html_body, subtype="html")
    except CannotBuild:
        raise
    except Exception as error:  # whatever else the email package finds wrong with stored text
        raise CannotBuild(f"{type(error).__name__}: {error}") from error
    return email
