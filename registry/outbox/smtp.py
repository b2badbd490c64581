"""SMTP: the settings from the app or the environment, and one connection that reopens after a failure."""

import os
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage

from flask import current_app

from registry.core.errors import DomainError

from .models import ERROR_LENGTH

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


def _setting(name: str, default: str = ""):
    # The app's configuration wins over the environment, so tests and instance config can set them.
    value = current_app.config.get(name)
    return value if value is not None else os.environ.get(name, default)


def _flag(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def smtp_settings() -> SmtpSettings:
    """Return the SMTP settings: MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS, MAIL_USERNAME, MAIL_PASSWORD, MAIL_FROM."""
    host = current_app.config["SERVICE_HOST"]
    port = _setting("MAIL_PORT", "25")
    try:
        port = int(port)
    except (TypeError, ValueError):
        raise DomainError(f"MAIL_PORT must be a port number, not {port!r}.") from None
    return SmtpSettings(
        server=str(_setting("MAIL_SERVER", "127.0.0.1")),
        port=port,
        use_tls=_flag(_setting("MAIL_USE_TLS", "")),
        username=str(_setting("MAIL_USERNAME", "")),
        password=str(_setting("MAIL_PASSWORD", "")),
        sender=str(_setting("MAIL_FROM", "") or f"registry@{host}"),
        local_hostname=host,
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
