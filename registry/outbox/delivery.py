"""Delivering the outbox: in batches, each message once however many run at a time, and one bad message never stops the rest.

The one step that commits by itself: a failure part-way loses nothing and the next run
carries on where this one stopped. Messages are taken 50 at a time, and each batch commits
once, which is what lets one process deliver hundreds a second (bench/mail_send.py):

- PostgreSQL: the batch's rows are locked (FOR UPDATE SKIP LOCKED) in the transaction that
  marks them, so another run never sees them unsent while this one holds them; it takes the
  next 50 instead.
- SQLite: one run at a time (a lock file beside the database), and the batch is claimed
  (its attempts counted) and committed before anything is sent, so that the write lock is
  not held while the mail server talks: the web pages never wait on it.

A run that is killed, or loses its database, between sending a message and committing its
batch sends that message again next time: at most the 50 of one batch. A run asked to stop
(the worker's SIGTERM) finishes the message in hand and commits first.
"""

import fcntl
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from pathlib import Path

import sqlalchemy as sa

from registry.core.bulk import insert_new
from registry.core.db import utcnow
from registry.core.unit_of_work import unit_of_work
from registry.extensions import db

from . import queries
from .backends import Backend, CannotBuild, Refused, ServiceFailed, open_backend
from .models import ERROR_LENGTH, MAILBOX, SECRET_WIPED, OutboxMessage

# After the server refuses a message, the next attempt waits 5 minutes, then 10, 20, … and
# at most a day apart: a refused address is not hammered every few minutes.
FIRST_RETRY_DELAY = timedelta(minutes=5)
LONGEST_RETRY_DELAY = timedelta(days=1)
# Messages per transaction: few enough that a crash re-sends little, enough that commits
# are not what limits the rate.
BATCH_SIZE = 50
# Mailings made into messages per transaction (each may be for 150 people).
MAILINGS_PER_TRANSACTION = 20


def retry_delay(attempts: int) -> timedelta:
    """Return how long to wait after the given number of failed attempts before trying again."""
    if attempts >= 10:  # 5 minutes × 2⁹ is already over a day
        return LONGEST_RETRY_DELAY
    return min(FIRST_RETRY_DELAY * 2 ** max(attempts - 1, 0), LONGEST_RETRY_DELAY)


@dataclass
class SendReport:
    """What a run of the sender did: the ids it delivered, those that failed (and will be tried again),
    and those given up on: they cannot be made into an email, or the service says they never can go.

    `stopped` says the run stopped early because the service itself failed (could not be
    reached, refused the login, hung up, asked us to slow down): the messages after it were
    not tried this time. `wait` is how long the service asked us to wait, if it said.
    """

    channel: str = ""
    label: str = "the mail server"
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    given_up: list[int] = field(default_factory=list)
    rejected: list[int] = field(default_factory=list)
    stopped: bool = False
    busy: bool = False
    wait: float | None = None

    def problems(self) -> list[str]:
        """Return a line for each message that did not go, and one if the run stopped, for whoever runs it."""
        lines = [f"Message {message_id} was not sent; it will be tried again later. See the outbox for the error."
                 for message_id in self.failed]
        lines += [f"Message {message_id} cannot be made into an email and will not be tried again. See the outbox for why."
                  for message_id in self.given_up]
        lines += [f"Message {message_id} was refused by {self.label} for good and will not be tried again. See the outbox for why."
                  for message_id in self.rejected]
        if self.busy:
            lines.append(f"Stopped sending: {self.label} asked us to slow down. The rest wait for the next run.")
        elif self.stopped:
            lines.append(f"Stopped sending: {self.label} failed. The rest wait for the next run.")
        return lines

    def summary(self) -> str:
        """Return the counts, e.g. "6 sent, 0 failed", with how many cannot be sent if any."""
        cannot = len(self.given_up) + len(self.rejected)
        given_up = f", {cannot} cannot be sent" if cannot else ""
        mailbox = " (to the development mailbox: nothing left this machine)" if self.channel == MAILBOX and self.sent else ""
        return f"{len(self.sent)} sent, {len(self.failed)} failed{given_up}{mailbox}"

    @property
    def ok(self) -> bool:
        """Whether every message due went (a cron job's exit status)."""
        return not (self.failed or self.given_up or self.rejected)

    @property
    def handled(self) -> int:
        """Return how many messages this run tried."""
        return len(self.sent) + len(self.failed) + len(self.given_up) + len(self.rejected)


class Outcome(Enum):
    SENT = "sent"
    REFUSED = "refused"  # the service refused this message; others may still go
    GIVEN_UP = "given up"  # it cannot be an email; it is never tried again
    REJECTED = "rejected"  # the service says it never will take it; it is never tried again
    SERVICE_FAILED = "service failed"  # no point trying the others now


def _deliver(backend: Backend, message: OutboxMessage, report: SendReport) -> Outcome:
    """Try to deliver one message and mark it with what happened; never raise for anything about it."""
    now = utcnow()
    try:
        backend.send(message)
    except CannotBuild as error:
        message.last_error = f"Cannot be made into an email: {error}"[:ERROR_LENGTH]
        message.given_up_at = now
        return Outcome.GIVEN_UP
    except Refused as error:
        message.last_error = str(error)[:ERROR_LENGTH]
        if error.give_up:
            message.given_up_at = now
            return Outcome.REJECTED
        message.next_attempt_at = now + retry_delay(message.attempts)
        return Outcome.REFUSED
    except ServiceFailed as error:
        # Not this message's fault: no back-off, it goes first when the service is back.
        message.last_error = str(error)[:ERROR_LENGTH]
        report.busy, report.wait = error.busy, error.wait
        return Outcome.SERVICE_FAILED
    except Exception as error:  # anything else is about this message alone: it must not stop the run
        message.last_error = backend.describe(error)[:ERROR_LENGTH]
        message.next_attempt_at = now + retry_delay(message.attempts)
        return Outcome.REFUSED
    message.sent_at = now
    message.sent_via = backend.name
    message.last_error = ""
    message.next_attempt_at = None
    if message.holds_secret and backend.name != MAILBOX:
        # Gone to its recipient: the link in it need not, and must not, stay readable here.
        # (The development mailbox keeps it: reading it on the outbox page is how it arrives.)
        message.body, message.html_body = SECRET_WIPED, None
    return Outcome.SENT


def _record(report: SendReport, message_id: int, outcome: Outcome) -> None:
    {
        Outcome.SENT: report.sent,
        Outcome.REFUSED: report.failed,
        Outcome.GIVEN_UP: report.given_up,
        Outcome.REJECTED: report.rejected,
        Outcome.SERVICE_FAILED: report.failed,
    }[outcome].append(message_id)
    if outcome is Outcome.SERVICE_FAILED:
        report.stopped = True


def _deliver_all(backend: Backend, messages: list[OutboxMessage], report: SendReport, should_stop: Callable[[], bool],
                 *, count_attempts: bool) -> int:
    """Deliver the messages in order until the service fails or the run is asked to stop; return how many were tried."""
    for tried, message in enumerate(messages, start=1):
        if count_attempts:
            message.attempts += 1
        outcome = _deliver(backend, message, report)
        _record(report, message.id, outcome)
        if report.stopped or should_stop():
            return tried
    return len(messages)


def _postgresql_batch(backend: Backend, after: int, now: datetime, report: SendReport,
                      should_stop: Callable[[], bool]) -> int | None:
    """Lock up to a batch of due messages, deliver them and mark them in one transaction; return the last id seen."""
    with unit_of_work():
        messages = db.session.scalars(
            queries.due(now, after=after, limit=BATCH_SIZE)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        ).all()
        if not messages:
            return None
        last = messages[-1].id  # read now: the commit expires them
        _deliver_all(backend, messages, report, should_stop, count_attempts=True)
    return last


def _sqlite_batch(backend: Backend, after: int, now: datetime, report: SendReport,
                  should_stop: Callable[[], bool]) -> int | None:
    """Claim up to a batch of due messages, deliver them outside the write lock, then mark them; return the last id seen."""
    ids = db.session.scalars(queries.due(now, after=after, limit=BATCH_SIZE).with_only_columns(OutboxMessage.id)).all()
    if not ids:
        db.session.rollback()
        return None
    claimed = db.session.scalars(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.sent_at.is_(None), OutboxMessage.given_up_at.is_(None))
        .values(attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    with unit_of_work():
        messages = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.id.in_(claimed)).order_by(OutboxMessage.id)
            .execution_options(populate_existing=True)
        ).all()
        tried = _deliver_all(backend, messages, report, should_stop, count_attempts=False)
        for message in messages[tried:]:
            message.attempts -= 1  # claimed, but not tried after all: left as it was
    return ids[-1]


def expand_mailings() -> int:
    """Make each waiting mailing a message for each of its recipients, skipping keys already there; return how many mailings.

    On PostgreSQL a mailing is locked (SKIP LOCKED) in the transaction that writes its
    messages and marks it expanded, so two senders never expand one twice; on SQLite the
    sender holds the lock file. Either way a key already in the outbox is not written again.
    """
    expanded = 0
    while True:
        with unit_of_work():
            statement = queries.unexpanded_mailings(limit=MAILINGS_PER_TRANSACTION)
            if db.session.get_bind().dialect.name == "postgresql":
                statement = statement.with_for_update(skip_locked=True)
            mailings = db.session.scalars(statement).all()
            if not mailings:
                return expanded
            now = utcnow()
            for mailing in mailings:  # one after another, so that messages go in the order they were written
                insert_new(OutboxMessage.__table__, [
                    {"key": recipient["key"], "user_id": recipient["user_id"], "to_address": recipient["to_address"],
                     "subject": mailing.subject, "body": mailing.body, "html_body": mailing.html_body, "thread": mailing.thread,
                     "unsubscribe_url": mailing.unsubscribe_url, "created_at": mailing.created_at, "attempts": 0, "last_error": ""}
                    for recipient in mailing.recipients
                ], "key")
                mailing.expanded_at = now
            expanded += len(mailings)


@contextmanager
def _one_sender_at_a_time(should_stop: Callable[[], bool] | None) -> Iterator[bool]:
    """On SQLite, let one run send at a time: a lock file beside the database. Yield False if asked to stop while waiting.

    The claim stops two runs sending a message at the same moment, but a run that starts
    while another is still talking to the mail server would see the claimed message unsent
    and claim it again. SQLite means one machine, so a file lock closes that gap.
    PostgreSQL needs none: the row lock is held until the message is marked.
    """
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        yield True
        return
    lock_path = Path(url.database).with_name(Path(url.database).name + ".outbox-lock")
    with open(lock_path, "a") as lock_file:
        if should_stop is None:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
        else:
            # The worker waits in steps, so that SIGTERM is not held up by a cron run's sending.
            while True:
                try:
                    fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if should_stop():
                        yield False
                        return
                    time.sleep(0.05)
        try:
            yield True
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def send_queued(*, should_stop: Callable[[], bool] | None = None) -> SendReport:
    """Deliver every unsent message whose time has come, oldest first; failures wait to be retried.

    When the service itself fails (unreachable, login refused, hung up, too many requests),
    the run stops there rather than wait out a timeout for every message; the rest go next
    run. should_stop is asked after each message: the worker's way to stop cleanly.

    Call it outside any transaction: it commits as it goes. Sending is not audited: the
    feature that wrote each message recorded why (reminder.queue, say), and sending changes
    nothing but the message's own status, which the outbox pages show. Errors are kept on
    the message without the password or key.
    """
    backend = open_backend()  # refuses bad settings before anything is claimed
    report = SendReport(channel=backend.name, label=backend.label)
    stop = should_stop or (lambda: False)
    batch = _postgresql_batch if db.engine.dialect.name == "postgresql" else _sqlite_batch
    db.session.rollback()  # start from no transaction, whatever the caller read
    with _one_sender_at_a_time(should_stop) as may_send, backend:
        if may_send:
            expand_mailings()
        after = 0
        while may_send and not (report.stopped or stop()):
            last = batch(backend, after, utcnow(), report, stop)
            if last is None:
                break
            after = last
    return report
