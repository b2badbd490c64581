"""SMTP: the settings, one connection that reopens after a failure, and the backend that tells a refused message from a failed server."""

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage

from registry.core.errors import DomainError

from .emails import email_for
from .failures import Refused, ServiceFailed
from .models import ERROR_LENGTH, SMTP, OutboxMessage
from .settings import flag, sender, service_host, setting

# An SMTP server that accepts the connection but never answers must not hang cron for ever.
SMTP_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send mail. The password is left out of repr, so it never reaches a log."""

    server: str
    port: int
    use_tls: bool
    username: str
    password: str = field(repr=False)
    sender: str
    local_hostname: str


def smtp_settings() -> SmtpSettings:
    """Return the SMTP settings: MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS, MAIL_USERNAME, MAIL_PASSWORD, MAIL_FROM."""
    port = setting("MAIL_PORT", "25")
    try:
        port = int(port)
    except (TypeError, ValueError):
        raise DomainError(f"MAIL_PORT must be a port number, not {port!r}.") from None
    return SmtpSettings(
        server=str(setting("MAIL_SERVER", "") or "127.0.0.1"),
        port=port,
        use_tls=flag(setting("MAIL_USE_TLS", "")),
        username=str(setting("MAIL_USERNAME", "")),
        password=str(setting("MAIL_PASSWORD", "")),
        sender=sender(),
        local_hostname=service_host(),
    )


class Mailer:
    """One SMTP connection, opened when first needed and opened again after any failure."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> "Mailer":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        # Naming ourselves saves smtplib a reverse DNS lookup on every connection.
        smtp = smtplib.SMTP(s.server, s.port, local_hostname=s.local_hostname, timeout=SMTP_TIMEOUT_SECONDS)
        try:
            if s.use_tls:
                smtp.starttls(context=ssl.create_default_context())
            if s.username:
                smtp.login(s.username, s.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, email: EmailMessage) -> None:
        """Send one email, raising smtplib's or the socket's error if it was not accepted."""
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._smtp.send_message(email, from_addr=self.settings.sender, to_addrs=[email["To"]])
        except BaseException:
            # The connection may be half-way through a transaction: start afresh next time.
            self.close()
            raise

    def server_answers(self) -> bool:
        """Return True if a new connection to the server works: then a failure was one message's doing."""
        self.close()
        try:
            self._smtp = self._connect()
            self._smtp.noop()
        except (smtplib.SMTPException, OSError):
            self.close()
            return False
        return True

    def close(self) -> None:
        """Say goodbye to the server, if connected."""
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None


def describe_failure(error: BaseException, settings: SmtpSettings) -> str:
    """Return what went wrong, short enough to keep, and never with the password in it."""
    text = f"{type(error).__name__}: {error}"
    if settings.password:
        text = text.replace(settings.password, "[hidden]")
    return text[:ERROR_LENGTH]


# Refusals of one message by a server that is otherwise working (SMTPNotSupportedError:
# an address that needs SMTPUTF8, which the server lacks), and what smtplib raises itself
# about one message's text.
MESSAGE_REFUSALS = (
    smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused, smtplib.SMTPNotSupportedError,
    ValueError, UnicodeError,
)


class SmtpBackend:
    """Delivers over SMTP, one connection per run; tells a refused message from a failed server."""

    name = SMTP
    label = "the mail server"

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self.mailer = Mailer(settings)

    def __enter__(self) -> "SmtpBackend":
        return self

    def __exit__(self, *exc_info) -> None:
        self.mailer.close()

    def describe(self, error: BaseException) -> str:
        """Return what went wrong, without the password."""
        return describe_failure(error, self.settings)

    def send(self, message: OutboxMessage) -> None:
        """Send one message, or raise CannotBuild, Refused or ServiceFailed (registry/outbox/failures.py)."""
        email = email_for(message, sender=self.settings.sender, host=self.settings.local_hostname)
        try:
            self.mailer.send(email)
        except MESSAGE_REFUSALS as error:
            raise Refused(self.describe(error)) from error
        except (smtplib.SMTPException, OSError) as error:  # ssl.SSLError and socket errors are OSErrors
            if self.mailer.server_answers():
                # The server works for a new connection: it was this message that broke the last
                # one (a server that hangs up on it, say). It waits, so it cannot block the rest.
                raise Refused(self.describe(error)) from error
            # Not this message's fault: it goes first when the server is back.
            raise ServiceFailed(self.describe(error)) from error
        except Exception as error:  # anything else is about this message alone: it must not stop the run
            raise Refused(self.describe(error)) from error
