"""The mail worker: deliver the outbox as messages arrive, until told to stop, whatever fails meanwhile.

It runs delivery.send_queued() whenever there may be something to send: on PostgreSQL when
a transaction that wrote to the outbox commits (LISTEN outbox_messages; the migration's
trigger notifies), and every poll interval all the same, for a notification missed while
the listening connection was down and for retries coming due; on SQLite, every poll
interval (2 seconds). Two workers, or a worker and a cron `flask mail send`, deliver each
message once: that is delivery's own guarantee, not the worker's.

Nothing stops it but SIGTERM or SIGINT: a database or mail service that is down is logged
and waited out (5 seconds, then longer, up to a minute), and a bad message is the
message's own problem (delivery marks it and carries on).
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from registry.extensions import db

from . import delivery
from .settings import setting

logger = logging.getLogger(__name__)

CHANNEL = "outbox_messages"  # the migration's trigger notifies this channel
SQLITE_POLL_SECONDS = 2.0
# With LISTEN, new messages go at once; the poll only catches what a notification missed.
POSTGRESQL_POLL_SECONDS = 10.0
FIRST_PAUSE_SECONDS = 5.0
LONGEST_PAUSE_SECONDS = 60.0


class StopFlag:
    """Set by a signal handler, read between steps: a flag, not a lock, so a handler can never deadlock on it."""

    def __init__(self) -> None:
        self.requested = False

    def set(self, *args) -> None:
        """Ask the worker to stop after the message in hand (usable as a signal handler)."""
        self.requested = True

    def __call__(self) -> bool:
        return self.requested

    def sleep(self, seconds: float) -> None:
        """Wait this long, or less if asked to stop meanwhile."""
        deadline = time.monotonic() + seconds
        while not self.requested and (left := deadline - time.monotonic()) > 0:
            time.sleep(min(left, 0.2))


def _poll_seconds(default: float) -> float:
    try:
        return float(setting("MAIL_WORKER_POLL_SECONDS", "") or default)
    except ValueError:
        return default


class Poller:
    """SQLite: nothing to listen to, so look again every interval."""

    def __init__(self, interval: float) -> None:
        self.interval = interval

    def connect(self) -> None:
        pass

    def wait(self, stop: StopFlag) -> None:
        """Return after the interval, or sooner if asked to stop."""
        stop.sleep(self.interval)

    def close(self) -> None:
        pass


class Listener:
    """PostgreSQL: a connection of its own that LISTENs; wait() returns on a notification, or after the safety poll."""

    def __init__(self, url, interval: float) -> None:
        # psycopg's own URL form: the app's URL names SQLAlchemy's driver.
        self.conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.interval = interval
        self.connection = None

    def connect(self) -> bool:
        """Open the listening connection if it is not open; return True if it was just opened."""
        import psycopg

        if self.connection is not None and not self.connection.closed:
            return False
        self.connection = psycopg.connect(self.conninfo, autocommit=True, connect_timeout=10)
        self.connection.execute(f"LISTEN {CHANNEL}")
        return True

    def wait(self, stop: StopFlag) -> None:
        """Return when a transaction that wrote to the outbox commits, after the poll interval, or when asked to stop."""
        import psycopg

        deadline = time.monotonic() + self.interval
        while not stop() and (left := deadline - time.monotonic()) > 0:
            try:
                if self.connect():
                    # Anything written while the connection was down was not heard of.
                    return
                # Short waits, so that a stop request is seen within a second.
                if list(self.connection.notifies(timeout=min(left, 1.0), stop_after=1)):
                    self._drain()
                    return
            except psycopg.Error as error:
                logger.warning("Lost the connection that listens for new mail (%s); connecting again.", error)
                self.close()
                try:
                    self.connect()  # at once: after a restart the database is usually back
                    return  # and what was written meanwhile was not heard of
                except psycopg.Error:
                    stop.sleep(min(left, FIRST_PAUSE_SECONDS))

    def _drain(self) -> None:
        # Notifications that came with the first: one run delivers them all.
        list(self.connection.notifies(timeout=0, stop_after=1000))

    def close(self) -> None:
        """Close the listening connection."""
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:  # it is going anyway
                pass
            self.connection = None


def _waker():
    url = db.engine.url
    if url.get_backend_name() == "postgresql":
        return Listener(url, _poll_seconds(POSTGRESQL_POLL_SECONDS))
    return Poller(_poll_seconds(SQLITE_POLL_SECONDS))


@dataclass
class _Pause:
    """How long to wait after failures in a row: 5 seconds, doubling, at most a minute."""

    failures: int = 0

    def next(self) -> float:
        self.failures += 1
        return min(FIRST_PAUSE_SECONDS * 2 ** (self.failures - 1), LONGEST_PAUSE_SECONDS)

    def reset(self) -> None:
        self.failures = 0


def _log(report: delivery.SendReport) -> None:
    if report.handled:
        logger.info("%s", report.summary())
    for line in report.problems():
        logger.warning("%s", line)


def run(stop: StopFlag, *, on_run: Callable[[delivery.SendReport], None] | None = None) -> None:
    """Deliver the outbox whenever there may be something to send, until stop is set."""
    waker = _waker()
    pause = _Pause()
    logger.info("Mail worker started (%s); it delivers new messages as they come, until stopped.",
                "listening for new messages" if isinstance(waker, Listener) else f"looking every {waker.interval:g} s")
    try:
        while not stop():
            try:
                # Listen first, so that a message written during the run is heard of after it.
                waker.connect()
                report = delivery.send_queued(should_stop=stop)
            except Exception:
                # The database is down, or the settings are wrong: say so, wait, try again.
                logger.exception("Could not deliver the outbox; trying again shortly.")
                _forget_connections()
                stop.sleep(pause.next())
                continue
            _log(report)
            if on_run is not None:
                on_run(report)
            if report.stopped:
                stop.sleep(report.wait or pause.next())
                continue
            pause.reset()
            waker.wait(stop)
    finally:
        waker.close()
        logger.info("Mail worker stopped.")


def _forget_connections() -> None:
    """Drop the session and pooled connections: after a database failure they may be dead."""
    try:
        db.session.remove()
        db.engine.dispose()
    except Exception:  # the database is still down: the next attempt will say so
        logger.debug("Could not tidy up the database connections.", exc_info=True)
