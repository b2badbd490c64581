"""Running `flask mail worker` and `flask mail send` as real processes on the test's database, and waiting on what they do."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from . import mailings_waiting, messages_in_outbox

PROJECT = Path(__file__).resolve().parents[2]


class Command:
    """A `flask` command running in its own process, its output kept in a file."""

    def __init__(self, app, tmp_path, name: str, *args: str, **env: str) -> None:
        instance = tmp_path / f"{name}-instance"
        self.log_path = tmp_path / f"{name}.log"
        environment = {
            **os.environ,
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "PYTHONUNBUFFERED": "1",
            # The app's mail settings, as the environment gives them to a real worker.
            **{key: str(app.config[key]) for key in ("MAIL_SERVER", "MAIL_PORT", "MAIL_BACKEND") if app.config.get(key)},
            **env,
        }
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", f"registry:create_app('test', None, {str(instance)!r})", *args],
            cwd=PROJECT, env=environment, stdout=self.log, stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        """Return what it has printed so far."""
        return self.log_path.read_text()

    def wait_for_output(self, text: str, timeout: float = 30) -> None:
        """Wait until it has printed the text; fail, with its output, if it has not by the deadline."""
        deadline = time.monotonic() + timeout
        while text not in self.output():
            assert self.process.poll() is None, f"it ended early:\n{self.output()}"
            assert time.monotonic() < deadline, f"it never printed {text!r}:\n{self.output()}"
            time.sleep(0.05)

    def stop(self, timeout: float = 30) -> int:
        """Ask it to stop as systemd and Ctrl+C do (SIGTERM), wait for it, and return its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        finally:
            self.log.close()

    def kill(self) -> None:
        """End it at once if it still runs (a test that failed part-way)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.log.close()


def wait_until(condition, timeout: float = 30, message: str = "") -> None:
    """Wait until condition() is true, looking every 50 ms; fail at the deadline."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message or "timed out"
        time.sleep(0.05)


def all_sent() -> bool:
    """Return whether every mailing has been made into messages and every message in the outbox delivered."""
    return not mailings_waiting() and all(m.sent_at is not None for m in messages_in_outbox())
