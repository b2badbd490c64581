"""Making an outbox message into an email, its headers safe whatever text was stored."""

from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from registry.core.text import is_one_line, one_line

from .models import OutboxMessage
from .smtp import SmtpSettings


class CannotBuild(Exception):
    """The outbox message cannot be made into an email as it stands; trying again would not help."""


def _recipient(address: str) -> str:
    """Return the stored address if it is one plain email address, else refuse it."""
    name, parsed = parseaddr(address)
    if not is_one_line(address) or name or parsed != address.strip() or "@" not in parsed:
        raise CannotBuild(f"the address {address!r} is not an email address")
    return parsed


def email_for(message: OutboxMessage, settings: SmtpSettings) -> EmailMessage:
    """Return the email for an outbox message, its headers safe whatever text was stored.

    A subject written before single-line fields refused line breaks, or from any other
    text, is put on one line: a line break in a header would raise here, or worse, add a
    header. An address that is not one address cannot be mended, so it raises CannotBuild.
    """
    try:
        email = EmailMessage()
        email["From"] = one_line(settings.sender)
        email["To"] = _recipient(message.to_address)
        email["Subject"] = one_line(message.subject) or "A message from the registry"
        email["Date"] = formatdate(usegmt=True)
        email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}", domain=one_line(settings.local_hostname))
        # RFC 3834: out-of-office replies and the like should not answer a machine.
        email["Auto-Submitted"] = "auto-generated"
        email.set_content(message.body)
    except CannotBuild:
        raise
    except Exception as error:  # whatever else the email package finds wrong with stored text
        raise CannotBuild(f"{type(error).__name__}: {error}") from error
    return email
