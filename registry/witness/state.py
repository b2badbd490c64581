"""The latest checkpoint the witness cosigned for each log, in a SQLite file of its own.

Checking the old size against the latest checkpoint and recording the new one happen in one
write transaction (BEGIN IMMEDIATE takes SQLite's write lock first), and the transaction is
committed, synchronously, before the cosignature leaves: so no two requests, threads or
processes can both advance from the same size, and a crash or kill after the commit only loses
an answer, never the record (the log asks again and is told the new size). Requests that come
at once share a transaction and its one wait for the disk (group commit), each checked
against what the ones before it recorded.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS latest_checkpoints (
    origin TEXT PRIMARY KEY,
    size INTEGER NOT NULL CHECK (size >= 0),
    root_hash BLOB NOT NULL CHECK (length(root_hash) = 32),
    checkpoint TEXT NOT NULL,
    cosigned_at INTEGER NOT NULL
)
"""


@dataclass(frozen=True)
class Latest:
    size: int
    root_hash: bytes | None  # None before the first checkpoint: the empty tree, size 0


NOTHING_YET = Latest(0, None)


@dataclass(frozen=True)
class Advance:
    """What to record once the checks pass: the new latest checkpoint of a log."""

    size: int
    root_hash: bytes
    checkpoint: str
    cosigned_at: int


class _Slot:
    """One request waiting for the writer: what to check, and then its answer or refusal."""

    def __init__(self, origin: str, decide: Callable) -> None:
        self.origin, self.decide = origin, decide
        self.answer = None
        self.error: BaseException | None = None
        self.done = threading.Event()


class WitnessState:
    """The witness's record; one connection per thread, each transaction short."""

    def __init__(self, path: Path | str, *, synchronous: str = "FULL") -> None:
        if synchronous not in ("FULL", "NORMAL"):
            raise ValueError("synchronous is FULL or NORMAL")
        self.path = str(path)
        self.synchronous = synchronous
        self._local = threading.local()
        self._queue_lock = threading.Lock()
        self._queue: list[_Slot] = []
        self._writing = False
        with closing(self._connect()) as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: transactions are begun and ended here, explicitly.
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        # FULL (the default): a committed checkpoint survives a power cut, so the witness can
        # never be made to forget what it cosigned and then cosign a smaller tree; each answer
        # waits for the disk. NORMAL (in WAL mode) survives the process being killed, not the
        # machine losing power: for a witness whose disk makes every fsync slow.
        connection.execute(f"PRAGMA synchronous={self.synchronous}")
        return connection

    @property
    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = self._connect()
        return connection

    def latest(self, origin: str) -> Latest:
        row = self._connection.execute(
            "SELECT size, root_hash FROM latest_checkpoints WHERE origin = ?", (origin,)
        ).fetchone()
        return Latest(row[0], bytes(row[1])) if row else NOTHING_YET

    def advance(self, origin: str, decide: Callable[[Latest], tuple[Advance, T]]) -> T:
        """Under the write lock: read the log's latest, let `decide` check it (raising to refuse)
        and say what to record, record it, commit, and return what `decide` returned.

        Requests that arrive together are written together (group commit): the first to come
        writes every one waiting, each checked in turn against the record as the ones before it
        left it, with one commit (one wait for the disk) for all; none is answered before it.
        """
        slot = _Slot(origin, decide)
        with self._queue_lock:
            self._queue.append(slot)
            leading = not self._writing
            self._writing = True
        if leading:
            self._write_while_waiting()
        slot.done.wait()
        if slot.error is not None:
            raise slot.error
        return slot.answer

    def _write_while_waiting(self) -> None:
        while True:
            with self._queue_lock:
                batch, self._queue = self._queue, []
                if not batch:
                    self._writing = False
                    return
            self._write(batch)

    def _write(self, batch: list["_Slot"]) -> None:
        connection = self._connection
        try:
            connection.execute("BEGIN IMMEDIATE")
            try:
                for slot in batch:
                    self._decide_and_record(connection, slot)
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        except BaseException as error:  # nothing was recorded: no cosignature may leave
            for slot in batch:
                if slot.error is None:
                    slot.error, slot.answer = error, None
        finally:
            for slot in batch:
                slot.done.set()

    @staticmethod
    def _decide_and_record(connection: sqlite3.Connection, slot: "_Slot") -> None:
        row = connection.execute("SELECT size, root_hash FROM latest_checkpoints WHERE origin = ?", (slot.origin,)).fetchone()
        try:
            advance, slot.answer = slot.decide(Latest(row[0], bytes(row[1])) if row else NOTHING_YET)
        except Exception as refusal:  # this request is refused; the others in the batch go on
            slot.error = refusal
            return
        connection.execute(
            "INSERT INTO latest_checkpoints (origin, size, root_hash, checkpoint, cosigned_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (origin) DO UPDATE SET size = excluded.size, root_hash = excluded.root_hash,"
            " checkpoint = excluded.checkpoint, cosigned_at = excluded.cosigned_at",
            (slot.origin, advance.size, advance.root_hash, advance.checkpoint, advance.cosigned_at),
        )

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None
