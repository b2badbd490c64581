"""Delivering the outbox: messages a second through `flask mail send`'s function to a local SMTP server, on PostgreSQL and SQLite.

Queues N messages (10,000 by default) with outbox.services.enqueue_many, as a feature would
(text and HTML, a thread, an unsubscribe link), then times delivery.send_queued(), the
function behind `flask mail send` and the worker, delivering them to an aiosmtpd server on
127.0.0.1 running in its own process (so that it does not share this one's interpreter).
It checks that the server received each message once. Target: at least 200 messages a
second on both engines.

For comparison it also times one message per transaction (BATCH_SIZE = 1, what delivery did
before issue 12) on a smaller outbox. The sender's CPU time per message and the load
average are printed too: on a shared machine the rate moves with whatever else runs.

    .venv/bin/python -m bench.mail_send                   # PostgreSQL (BENCH_POSTGRES_URL) and SQLite
    .venv/bin/python -m bench.mail_send -n 2000 --sqlite-only
"""

import argparse
import multiprocessing
import os
import socket
import statistics
import sqlite3
import time

import sqlalchemy as sa

from registry.core.unit_of_work import unit_of_work
from registry.extensions import db
from registry.outbox import delivery, services
from registry.outbox.models import OutboxMessage

from .setup import OUT, fresh_postgres, fresh_sqlite, machine, migrated_app

TARGET = 200  # messages a second
COMPARISON = 2000  # messages for the one-per-transaction comparison


def _smtp_server(port: int, received, ready) -> None:
    """Run an aiosmtpd server on 127.0.0.1:port that counts what it receives, until killed."""
    from aiosmtpd.controller import Controller

    class Count:
        async def handle_DATA(self, server, session, envelope):
            with received.get_lock():
                received.value += len(envelope.rcpt_tos)
            return "250 OK"

    controller = Controller(Count(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    while True:
        time.sleep(3600)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _one_event(rounds: int = 25) -> float:
    """Return the median milliseconds of enqueue_many for 150 people in its own transaction (an approval's worth)."""
    timings = []
    for round_ in range(rounds + 5):
        messages = [{"key": f"event-{round_}:{n}", "to_address": f"person{n}@council.example", "user_id": None,
                     "subject": "DSA-2026-0001 Supporting families: approved for Leeds City Council",
                     "body": "Dear person,\n\nLeeds City Council approved the agreement.\n" * 5,
                     "html_body": "<p>Leeds City Council approved the agreement.</p>" * 5,
                     "thread": "agreement:DSA-2026-0001", "unsubscribe_url": "https://registry.example/account/notifications"}
                    for n in range(150)]
        started = time.perf_counter()
        with unit_of_work():
            services.enqueue_many(messages)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings[5:])  # the first few compile and warm the pool


def _queue(count: int, prefix: str) -> float:
    """Write count messages in chunks of 150 (one event's worth each), as features would; return the seconds it took."""
    started = time.perf_counter()
    for start in range(0, count, 150):
        with unit_of_work():
            services.enqueue_many([
                {"key": f"{prefix}:{n}", "to_address": f"person{n}@council.example", "user_id": None,
                 "subject": f"DSA-2026-{n % 500:04d} Supporting families: approved for Leeds City Council",
                 "body": f"Dear person {n},\n\nLeeds City Council approved the agreement.\n\nhttps://registry.example/agreements/DSA-2026-{n % 500:04d}\n",
                 "html_body": f"<p>Dear person {n},</p><p>Leeds City Council approved the agreement.</p>",
                 "thread": f"agreement:DSA-2026-{n % 500:04d}",
                 "unsubscribe_url": "https://registry.example/account/notifications"}
                for n in range(start, min(start + 150, count))
            ])
    return time.perf_counter() - started


def _deliver(received, count: int) -> tuple[float, float]:
    """Deliver what waits; return the seconds it took and the seconds of this process's CPU it used."""
    before = received.value
    started, cpu = time.perf_counter(), time.process_time()
    report = delivery.send_queued()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert len(report.sent) == count and report.ok, report.summary()
    # Each message once, no more, no fewer.
    deadline = time.monotonic() + 10
    while received.value - before < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert received.value - before == count, (received.value - before, count)
    unsent = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.sent_at.is_(None)))
    db.session.rollback()
    assert unsent == 0
    return elapsed, cpu


def run(url: str, name: str, count: int, port: int, received) -> dict:
    """Queue count messages on the database at url and deliver them; return the figures."""
    app = migrated_app(url, OUT / f"mail-send-{name}-instance")
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_BACKEND="smtp")
    figures = {"name": name}
    with app.app_context():
        figures["event_ms"] = _one_event()
        print(f"  {name}: enqueue_many of 150 messages in its own transaction: median {figures['event_ms']:.1f} ms")
        db.session.execute(sa.delete(OutboxMessage))  # only the 10,000 below are timed
        db.session.commit()
        queued = _queue(count, "bench")
        load = os.getloadavg()[0]
        elapsed, cpu = _deliver(received, count)
        figures.update(count=count, queue_rate=count / queued, rate=count / elapsed, seconds=elapsed, cpu_ms=cpu / count * 1000)
        print(f"  {name}: queued {count:,} in {queued:.2f} s ({count / queued:,.0f}/s); "
              f"delivered in {elapsed:.2f} s: {count / elapsed:,.0f} messages/s (batches of {delivery.BATCH_SIZE}); "
              f"sender CPU {cpu / count * 1000:.2f} ms a message; load average {load:.1f} at the start")

        batch = delivery.BATCH_SIZE
        delivery.BATCH_SIZE = 1
        try:
            _queue(COMPARISON, "one-by-one")
            one_by_one, _ = _deliver(received, COMPARISON)
        finally:
            delivery.BATCH_SIZE = batch
        figures["one_by_one_rate"] = COMPARISON / one_by_one
        print(f"  {name}: one message per transaction: {COMPARISON:,} in {one_by_one:.2f} s: "
              f"{COMPARISON / one_by_one:,.0f} messages/s")
        db.session.remove()
        db.engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--messages", type=int, default=10_000, help="messages to queue and deliver (default 10,000)")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--postgres-only", action="store_true")
    args = parser.parse_args()
    print(f"machine: {machine()}")

    spawn = multiprocessing.get_context("spawn")
    received, ready = spawn.Value("q", 0), spawn.Event()
    port = _free_port()
    server = spawn.Process(target=_smtp_server, args=(port, received, ready), daemon=True)
    server.start()
    try:
        assert ready.wait(30), "the SMTP server did not start"
        print(f"SMTP server: aiosmtpd on 127.0.0.1:{port}, in its own process")
        results = []
        if not args.sqlite_only:
            url = fresh_postgres("registry_bench_mail")
            print(f"database: PostgreSQL ({url.rsplit('@', 1)[-1]})")
            results.append(run(url, "postgresql", args.messages, port, received))
        if not args.postgres_only:
            print(f"database: SQLite {sqlite3.sqlite_version} (bench/out/mail-send.sqlite3)")
            results.append(run(fresh_sqlite(OUT / "mail-send.sqlite3"), "sqlite", args.messages, port, received))
    finally:
        server.kill()
        server.join(timeout=10)
    for figures in results:
        verdict = "met" if figures["rate"] >= TARGET else "NOT met"
        print(f"{figures['name']}: {figures['rate']:,.0f} messages/s (target at least {TARGET}: {verdict})")


if __name__ == "__main__":
    main()
