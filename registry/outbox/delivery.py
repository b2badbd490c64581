"""Delivering the outbox over SMTP: each message in its own transaction, and one bad message never stops the rest.

The one step that commits by itself: a failure part-way loses nothing and the next run
carries on where this one stopped.
"""

import fcntl
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from enum import Enum
from pathlib import Path

import sqlalchemy as sa

from registry.core.db import utcnow
from registry.core.unit_of_work import unit_of_work
from registry.extensions import db

from . import queries
from .emails import CannotBuild, email_for
from .models import ERROR_LENGTH, OutboxMessage
from .smtp import Mailer, SmtpSettings, describe_failure, smtp_settings

# After the server refuses a message, the next attempt waits 5 minutes, then 10, 20, … and
# at most a day apart: a refused address is not hammered every few minutes.
FIRST_RETRY_DELAY = timedelta(minutes=5)
LONGEST_RETRY_DELAY = timedelta(days=1)


def retry_delay(attempts: int) -> timedelta:
    """Return how long to wait after the given number of failed attempts before trying again."""
    if attempts >= 10:  # 5 minutes × 2⁹ is already over a day
        return LONGEST_RETRY_DELAY
    return min(FIRST_RETRY_DELAY * 2 ** max(attempts - 1, 0), LONGEST_RETRY_DELAY)


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

    def problems(self) -> list[str]:
        """Return a line for each message that did not go, and one if the run stopped, for whoever runs it."""
        lines = [f"Message {message_id} was not sent; it will be tried again later. See the outbox for the error."
                 for message_id in self.failed]
        lines += [f"Message {message_id} cannot be made into an email and will not be tried again. See the outbox for why."
                  for message_id in self.given_up]
        if self.stopped:
            lines.append("Stopped sending: the mail server failed. The rest wait for the next run.")
        return lines

    def summary(self) -> str:
        """Return the counts, e.g. "6 sent, 0 failed", with how many cannot be sent if any."""
        given_up = f", {len(self.given_up)} cannot be sent" if self.given_up else ""
        return f"{len(self.sent)} sent, {len(self.failed)} failed{given_up}"

    @property
    def ok(self) -> bool:
        """Whether every message due went (a cron job's exit status)."""
        return not (self.failed or self.given_up)


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


def send_queued() -> SendReport:
    """Send every unsent message whose time has come, each in its own transaction; failures wait to be retried.

    When the server itself fails (unreachable, login refused, hung up), the run stops
    there rather than wait out a timeout for every message; the rest go next run.

    Call it outside any transaction: it commits as it goes. Sending is not audited: the
    feature that wrote each message recorded why (reminder.queue, say), and sending changes
    nothing but the message's own status, which the outbox page shows. Errors are kept on the message without the password.
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
