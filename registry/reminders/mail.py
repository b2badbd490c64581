"""What reminder emails say, and sending the outbox over SMTP with settings from the environment.

Sending is the one step in this feature that commits by itself: each message is sent in its
own transaction, so a failure part-way loses nothing and the next run carries on.
"""

import fcntl
import os
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from enum import Enum
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from registry.core.db import utcnow
from registry.core.errors import DomainError
from registry.core.links import external_url
from registry.core.templating import format_date
from registry.core.text import is_one_line, one_line
from registry.core.unit_of_work import unit_of_work
from registry.extensions import db
from registry.agreements.models import OBLIGATION_TYPES
from registry.obligations.models import ATTESTATION_STATUSES

from . import queries
from .models import OutboxMessage
from .queries import OVERDUE, REVIEW, Reminder

# An SMTP server that accepts the connection but never answers must not hang cron for ever.
SMTP_TIMEOUT_SECONDS = 30
ERROR_LENGTH = 500  # OutboxMessage.last_error
# After the server refuses a message, the next attempt waits 5 minutes, then 10, 20, … and
# at most a day apart: a refused address is not hammered every few minutes.
FIRST_RETRY_DELAY = timedelta(minutes=5)
LONGEST_RETRY_DELAY = timedelta(days=1)


def retry_delay(attempts: int) -> timedelta:
    """Return how long to wait after the given number of failed attempts before trying again."""
    if attempts >= 10:  # 5 minutes × 2⁹ is already over a day
        return LONGEST_RETRY_DELAY
    return min(FIRST_RETRY_DELAY * 2 ** max(attempts - 1, 0), LONGEST_RETRY_DELAY)


# --- Settings ---------------------------------------------------------------------------


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


# --- What the emails say ----------------------------------------------------------------


def _link(endpoint: str, **values) -> str:
    """Return a link to a page, on the registry's own base URL (no request needed)."""
    return external_url(endpoint, **values)


def _when(reminder: Reminder) -> str:
    days = reminder.days_left
    if days < 0:
        return "overdue"
    if days == 0:
        return "due today"
    return "due tomorrow" if days == 1 else f"due in {days} days"


def _names(authorities) -> str:
    names = [a.name for a in authorities]
    if len(names) <= 1:
        return names[0] if names else "the other parties"
    return ", ".join(names[:-1]) + " and " + names[-1]


def compose(reminder: Reminder) -> tuple[str, str]:
    """Return the subject and plain-text body of a reminder, naming no one but its recipient."""
    agreement = reminder.agreement
    title = agreement.current_version.title
    date_text = format_date(reminder.due)
    if reminder.kind == REVIEW:
        what = "Review"
        if reminder.milestone == OVERDUE:
            opening = f"The review of the agreement {agreement.reference}, {title}, was due on {date_text}. It is now overdue."
        else:
            opening = f"The agreement {agreement.reference}, {title}, is due for review on {date_text} ({_when(reminder)})."
        why = f"You are getting this email because you are an approver for {_names(reminder.because_of)}, a party to this agreement."
        todo = "Check that the agreement is still needed and still right, and agree any changes with the other parties."
        subject = f"{what} {_when(reminder)}: {agreement.reference} {one_line(title)}"
    else:
        due = reminder.obligation
        kind = OBLIGATION_TYPES.get(due.obligation.type, due.obligation.type)
        state = "was due" if reminder.milestone == OVERDUE else "is due"
        opening = (
            f"{due.owed_by.name} owes {_names(due.owed_to)} an obligation under the agreement "
            f"{agreement.reference}, {title}:\n\n{kind}\n\nIt {state} on {date_text} ({_when(reminder)})."
        )
        role = "which owes it" if reminder.owes else "which it is owed to"
        why = f"You are getting this email because you are an approver for {_names(reminder.because_of)}, {role}."
        todo = f"When it has been done, an approver for {due.owed_by.name} records on the agreement whether it was met."
        subject = f"Obligation {_when(reminder)}: {kind}, {agreement.reference}"
        if due.not_met is not None:
            # Attested, but not as met: the date stays open, and the email says where it stands.
            standing = ATTESTATION_STATUSES[due.not_met.status].lower()
            opening += (f"\n\nOn {format_date(due.not_met.attested_at.date())} {due.owed_by.name} said it was {standing}, "
                        "so it stands as not met.")
            todo = f"When it is met, an approver for {due.owed_by.name} attests again on the agreement."
            subject = f"Obligation {standing}, {_when(reminder)}: {kind}, {agreement.reference}"
    body = "\n\n".join(
        [
            f"Dear {reminder.recipient.name},",
            opening,
            todo,
            why,
            f"See the agreement:\n{_link('agreements.show', reference=agreement.reference)}",
            f"To change which reminders you get:\n{_link('reminders.preferences.edit')}",
            current_app.config["SERVICE_NAME"],
        ]
    )
    return subject, body + "\n"


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


# --- Sending ------------------------------------------------------------------------------


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


@dataclass
class SendReport:
    """What a run of the sender did: the ids it sent, those that failed (and will be tried again),
    and those given up on because they cannot be made into an email.

    `stopped` says the run stopped early because the server itself failed (could not be
    reached, refused the login, hung up): the messages after it were not tried this time.
    """

    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    given_up: list[int] = field(default_factory=list)
    stopped: bool = False


class Outcome(Enum):
    SENT = "sent"
    REFUSED = "refused"  # the server refused this message; others may still go
    GIVEN_UP = "given up"  # it cannot be an email; it is never tried again
    SERVER_FAILED = "server failed"  # no point trying the others now
    SKIPPED = "skipped"  # another run has it


# Refusals of one message by a server that is otherwise working (SMTPNotSupportedError:
# an address that needs SMTPUTF8, which the server lacks), and what smtplib raises itself
# about one message's text.
MESSAGE_REFUSALS = (
    smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused, smtplib.SMTPNotSupportedError,
    ValueError, UnicodeError,
)


def _refused(message: OutboxMessage, error: BaseException, settings: SmtpSettings) -> Outcome:
    message.last_error = describe_failure(error, settings)
    message.next_attempt_at = utcnow() + retry_delay(message.attempts)
    return Outcome.REFUSED


def _deliver(mailer: Mailer, message: OutboxMessage, settings: SmtpSettings) -> Outcome:
    """Try to send one message and mark it with what happened; never raise for anything about it."""
    try:
        email = email_for(message, settings)
    except CannotBuild as error:
        message.last_error = f"Cannot be made into an email: {error}"[:ERROR_LENGTH]
        message.given_up_at = utcnow()
        return Outcome.GIVEN_UP
    try:
        mailer.send(email)
    except MESSAGE_REFUSALS as error:
        return _refused(message, error, settings)
    except (smtplib.SMTPException, OSError) as error:  # ssl.SSLError and socket errors are OSErrors
        if mailer.server_answers():
            # The server works for a new connection: it was this message that broke the last
            # one (a server that hangs up on it, say). It waits, so it cannot block the rest.
            return _refused(message, error, settings)
        # Not this message's fault: it goes first when the server is back, next run.
        message.last_error = describe_failure(error, settings)
        return Outcome.SERVER_FAILED
    except Exception as error:  # anything else is about this message alone: it must not stop the run
        return _refused(message, error, settings)
    message.sent_at = utcnow()
    message.last_error = ""
    message.next_attempt_at = None
    return Outcome.SENT


def _send_one(mailer: Mailer, message_id: int, seen_attempts: int, settings: SmtpSettings) -> Outcome:
    """Send one message if no one else is sending it, and say what happened."""
    if db.session.get_bind().dialect.name == "postgresql":
        # The row lock lasts until the message is marked; a concurrent run skips it.
        with unit_of_work():
            message = db.session.scalar(
                sa.select(OutboxMessage)
                .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None))
                .with_for_update(skip_locked=True)
                .execution_options(populate_existing=True)
            )
            if message is None:
                return Outcome.SKIPPED
            message.attempts += 1
            return _deliver(mailer, message, settings)
    # SQLite: claim the message with an update only one run can win, then send outside the
    # write lock, so that the web pages are not kept waiting on the SMTP server.
    claimed = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None), OutboxMessage.attempts == seen_attempts)
        .values(attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if not claimed:
        return Outcome.SKIPPED
    with unit_of_work():
        message = db.session.get(OutboxMessage, message_id, populate_existing=True)
        return _deliver(mailer, message, settings)


@contextmanager
def _one_sender_at_a_time() -> Iterator[None]:
    """On SQLite, let one run send at a time: a lock file beside the database.

    The claim above stops two runs sending a message at the same moment, but a run that
    starts while another is still talking to the SMTP server would see the claimed message
    unsent and claim it again. SQLite means one machine, so a file lock closes that gap.
    PostgreSQL needs none: the row lock is held until the message is marked sent.
    """
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        yield
        return
    lock_path = Path(url.database).with_name(Path(url.database).name + ".outbox-lock")
    with open(lock_path, "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def send_outbox() -> SendReport:
    """Send every unsent message whose time has come, each in its own transaction; failures wait to be retried.

    When the server itself fails (unreachable, login refused, hung up), the run stops
    there rather than wait out a timeout for every message; the rest go next run.

    Call it outside any transaction: it commits as it goes. Sending is not audited: writing
    each message was (reminder.queue), and sending changes nothing but the message's own
    status, which the outbox page shows. Errors are kept on the message without the password.
    """
    settings = smtp_settings()
    report = SendReport()
    with _one_sender_at_a_time(), Mailer(settings) as mailer:
        waiting = queries.unsent_messages(utcnow())
        db.session.rollback()  # end the read, so each message starts its own transaction
        for message_id, seen_attempts in waiting:
            outcome = _send_one(mailer, message_id, seen_attempts, settings)
            if outcome is Outcome.SENT:
                report.sent.append(message_id)
            elif outcome is Outcome.GIVEN_UP:
                report.given_up.append(message_id)
            elif outcome in (Outcome.REFUSED, Outcome.SERVER_FAILED):
                report.failed.append(message_id)
            if outcome is Outcome.SERVER_FAILED:
                report.stopped = True
                break
    return report
