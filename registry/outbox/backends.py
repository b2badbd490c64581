"""What a delivery backend promises (send one message, or say whose fault it was), the development mailbox, and choosing one.

A backend's send() returns when the message is delivered, or raises one of:
- CannotBuild: the message cannot be made into an email; it is given up, with why;
- Refused: the service refused this message (others may go): it waits and is tried again,
  backing off, or is given up if the service says it never can go;
- ServiceFailed: the service itself failed (down, refused our credentials, asked us to slow
  down): the run stops there and the rest wait, `wait` seconds if the service said so.
Anything else it raises is taken as this message's fault: it waits, and the rest go.
"""

from typing import Protocol

from .emails import CannotBuild, email_for
from .failures import Refused, ServiceFailed
from .models import MAILBOX, NOTIFY, SMTP, OutboxMessage
from .notify import NotifyBackend, notify_settings
from .settings import backend_name, sender, service_host
from .smtp import SmtpBackend, smtp_settings

__all__ = ["Backend", "CannotBuild", "MailboxBackend", "Refused", "ServiceFailed", "open_backend"]


class Backend(Protocol):
    """Delivers outbox messages one at a time; used as a context manager around a run."""

    name: str  # the channel it delivers by, as stored in OutboxMessage.sent_via
    label: str  # what to call it when it fails, e.g. "the mail server"

    def send(self, message: OutboxMessage) -> None: ...

    def describe(self, error: BaseException) -> str: ...

    def __enter__(self) -> "Backend": ...

    def __exit__(self, *exc_info) -> None: ...


class MailboxBackend:
    """The development mailbox: each message is built as it would be sent, then kept here; nothing leaves.

    With no MAIL_SERVER outside production, `make run` shows the whole flow with no mail
    server: the outbox page lists each message as delivered to the mailbox, and shows it.
    Building the email still finds a message that could never be sent, as production would.
    """

    name = MAILBOX
    label = "the development mailbox"

    def __init__(self) -> None:
        self.sender, self.host = sender(), service_host()

    def __enter__(self) -> "MailboxBackend":
        return self

    def __exit__(self, *exc_info) -> None:
        pass

    def send(self, message: OutboxMessage) -> None:
        """Build the email and keep it: delivered to the mailbox."""
        email_for(message, sender=self.sender, host=self.host)

    def describe(self, error: BaseException) -> str:
        """Return what went wrong, short enough to keep."""
        return f"{type(error).__name__}: {error}"


def open_backend() -> Backend:
    """Return the backend the settings choose (MAIL_BACKEND, MAIL_SERVER), checking its settings first."""
    name = backend_name()
    if name == SMTP:
        return SmtpBackend(smtp_settings())
    if name == NOTIFY:
        return NotifyBackend(notify_settings())
    return MailboxBackend()
