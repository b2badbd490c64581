"""`flask mail worker`, as real processes: it delivers new messages within seconds, each once beside other workers and cron,
waits out a mail server or database that is down, and stops cleanly on SIGTERM."""

import socket

import pytest

from registry.extensions import db

from . import mail_to_many, messages_in_outbox, queue
from .processes import Command, all_sent, wait_until

# The promise: a message written is delivered within 10 seconds.
WITHIN = 10


@pytest.fixture
def commands(app, tmp_path):
    """Start flask commands as processes; any still running at the end are killed."""
    started = []

    def start(name: str, *args: str, **env: str) -> Command:
        command = Command(app, tmp_path, name, *args, **env)
        started.append(command)
        return command

    yield start
    for command in started:
        command.kill()


def _received(smtp_server) -> list[str]:
    return [m.envelope.rcpt_tos[0] for m in smtp_server.messages]


def test_a_worker_delivers_a_new_message_within_seconds_and_stops_on_sigterm(smtp_server, commands):
    worker = commands("worker", "mail", "worker")
    worker.wait_for_output("Mail worker started")

    queue(1, prefix="new")
    wait_until(lambda: len(smtp_server.messages) == 1, timeout=WITHIN, message=f"nothing delivered:\n{worker.output()}")

    assert worker.stop() == 0
    assert "Mail worker stopped" in worker.output()
    assert _received(smtp_server) == ["new-0@example.org"]
    assert messages_in_outbox()[0].sent_via == "smtp"


def test_two_workers_and_a_cron_run_deliver_each_message_and_mailing_exactly_once(smtp_server, commands):
    queue(300, prefix="waiting")
    workers = [commands(f"worker-{n}", "mail", "worker") for n in (1, 2)]
    cron = commands("cron", "mail", "send")
    for worker in workers:
        worker.wait_for_output("Mail worker started")
    # More while they run, in several transactions, as requests would write them: messages,
    # and mailings (one email to many) that a sender must make into messages first.
    for batch in range(10):
        queue(10, prefix=f"new-{batch}")
        if batch % 3 == 0:
            mail_to_many(20, prefix=f"mailing-{batch}")

    wait_until(all_sent, timeout=60, message="not everything was delivered")
    assert cron.process.wait(timeout=60) == 0, cron.output()
    assert [worker.stop() for worker in workers] == [0, 0]

    received = _received(smtp_server)
    assert len(received) == 480 and len(set(received)) == 480
    assert all(m.attempts == 1 for m in messages_in_outbox())


def test_a_worker_waits_out_a_mail_server_that_is_down(app, smtp_server, commands):
    # A port where nothing listens yet; the test's SMTP server takes it later.
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    worker = commands("worker", "mail", "worker", MAIL_PORT=str(port))
    queue(2)
    worker.wait_for_output("Stopped sending: the mail server failed")

    received = []

    class Collect:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope.rcpt_tos[0])
            return "250 OK"

    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        wait_until(lambda: len(received) == 2, timeout=30, message=f"not delivered once the server was up:\n{worker.output()}")
        assert worker.stop() == 0
    finally:
        controller.stop()
    assert sorted(received) == ["test-0@example.org", "test-1@example.org"]


def test_a_worker_carries_on_after_losing_its_database_connections(app, smtp_server, commands):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite is a file, not a server: there are no connections to lose")
    worker = commands("worker", "mail", "worker")
    worker.wait_for_output("Mail worker started")
    queue(1, prefix="before")
    wait_until(lambda: len(smtp_server.messages) == 1, timeout=WITHIN)

    # As a database restart would: every other connection to this database is cut.
    db.session.execute(db.text(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    ))
    db.session.commit()
    queue(1, prefix="after")

    wait_until(lambda: len(smtp_server.messages) == 2, timeout=30, message=f"not delivered after reconnecting:\n{worker.output()}")
    assert worker.stop() == 0
    assert _received(smtp_server) == ["before-0@example.org", "after-0@example.org"]


def test_a_worker_never_stops_on_a_bad_message(smtp_server, commands):
    from . import add_raw

    worker = commands("worker", "mail", "worker")
    worker.wait_for_output("Mail worker started")
    add_raw(key="raw:bad", to_address="not an address")
    queue(1, prefix="after")

    wait_until(lambda: len(smtp_server.messages) == 1, timeout=WITHIN, message=worker.output())
    assert worker.process.poll() is None  # still running
    assert worker.stop() == 0
    assert "cannot be made into an email" in worker.output()
    by_key = {m.key: m for m in messages_in_outbox()}
    assert by_key["raw:bad"].given_up_at is not None


