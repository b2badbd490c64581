"""The witness never cosigns two inconsistent checkpoints: not under parallel requests from threads or
processes, and not when it is killed between recording a checkpoint and answering."""

import multiprocessing
import os
import threading

from werkzeug.test import Client

from registry.witness.app import WitnessApp
from registry.witness.cosignature import generate_cosigner
from registry.witness.state import WitnessState
from registry.witness.witnessing import Witness

from .logs import MemoryLog

ORIGIN = "example.org/forked-log"


def two_forks() -> tuple[MemoryLog, MemoryLog]:
    """Two histories of one log, each of 5 records, with the same origin and key but different roots."""
    honest = MemoryLog(ORIGIN).append(5)
    return honest, honest.fork().append(5)


def _witness(state_file, log) -> Witness:
    return Witness(generate_cosigner("example.org/witness"), {ORIGIN: [log.verifier_key]}, WitnessState(state_file))


def test_parallel_requests_from_threads_advance_the_witness_once(tmp_path):
    honest, fork = two_forks()
    witness = _witness(tmp_path / "state.sqlite3", honest)
    bodies = [honest.request(0), fork.request(0)] * 8
    barrier, statuses = threading.Barrier(len(bodies)), []

    def send(body):
        client = Client(WitnessApp(witness))
        barrier.wait()
        statuses.append(client.post("/add-checkpoint", data=body).status_code)

    threads = [threading.Thread(target=send, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200] + [409] * 15


def _post_in_another_process(state_file, log_key, bodies, barrier, results):
    witness = Witness(generate_cosigner("example.org/witness"), {ORIGIN: [log_key]}, WitnessState(state_file))
    client = Client(WitnessApp(witness))
    barrier.wait(timeout=60)
    results.put([client.post("/add-checkpoint", data=body).status_code for body in bodies])


def test_parallel_requests_from_processes_advance_the_witness_once(tmp_path):
    honest, fork = two_forks()
    spawn = multiprocessing.get_context("spawn")
    barrier, results = spawn.Barrier(4), spawn.Queue()
    bodies = [[honest.request(0)], [fork.request(0)]] * 2
    workers = [
        spawn.Process(target=_post_in_another_process, args=(tmp_path / "state.sqlite3", honest.verifier_key, b, barrier, results))
        for b in bodies
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    statuses = sorted(status for _ in workers for status in results.get(timeout=5))
    assert statuses == [200, 409, 409, 409]


class _KilledAfterCommit(WitnessState):
    """A witness state whose process dies the moment its record is committed, before any answer."""

    def advance(self, origin, decide):
        super().advance(origin, decide)
        os._exit(9)


class _KilledBeforeCommit(WitnessState):
    """A witness state whose process dies after signing, inside the transaction, before the commit."""

    def advance(self, origin, decide):
        def sign_then_die(latest):
            decide(latest)
            os._exit(9)

        return super().advance(origin, sign_then_die)


def _crash(state_class, state_file, log_key, body):
    witness = Witness(generate_cosigner("example.org/witness"), {ORIGIN: [log_key]}, state_class(state_file))
    witness.add_checkpoint(body)


def _crash_in_another_process(state_class, state_file, log, body) -> None:
    process = multiprocessing.get_context("spawn").Process(
        target=_crash, args=(state_class, state_file, log.verifier_key, body)
    )
    process.start()
    process.join(timeout=60)
    assert process.exitcode == 9


def test_killed_between_recording_and_answering_the_witness_still_refuses_the_fork(tmp_path):
    honest, fork = two_forks()
    state_file = tmp_path / "state.sqlite3"
    _crash_in_another_process(_KilledAfterCommit, state_file, honest, honest.request(0))

    client = Client(WitnessApp(_witness(state_file, honest)))
    conflict = client.post("/add-checkpoint", data=fork.request(0))
    assert (conflict.status_code, conflict.text) == (409, "5\n")
    assert client.post("/add-checkpoint", data=fork.request(5)).status_code == 422  # not consistent with what it recorded
    assert client.post("/add-checkpoint", data=honest.request(5)).status_code == 200  # the log asks again, and is answered


def test_killed_before_committing_the_witness_recorded_nothing(tmp_path):
    honest, _ = two_forks()
    state_file = tmp_path / "state.sqlite3"
    _crash_in_another_process(_KilledBeforeCommit, state_file, honest, honest.request(0))

    assert WitnessState(state_file).latest(ORIGIN).size == 0
    assert Client(WitnessApp(_witness(state_file, honest))).post("/add-checkpoint", data=honest.request(0)).status_code == 200


def test_requests_for_many_logs_at_once_are_each_checked_recorded_and_cosigned(tmp_path):
    """They share transactions (group commit); each is still checked against its own log's record."""
    logs = [MemoryLog(f"example.org/log-{n}").append(4) for n in range(8)]
    witness = Witness(generate_cosigner("example.org/witness"), {log.origin: [log.verifier_key] for log in logs},
                      WitnessState(tmp_path / "state.sqlite3"))
    bodies = [log.request(0) for log in logs] + [logs[0].fork().append(4).request(0)]  # one fork among them
    barrier, statuses = threading.Barrier(len(bodies)), {}

    def send(n, body):
        barrier.wait()
        statuses[n] = Client(WitnessApp(witness)).post("/add-checkpoint", data=body).status_code

    threads = [threading.Thread(target=send, args=(n, body)) for n, body in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses.values()) == [200] * 8 + [409]  # log-0 or its fork, whichever came first, and not both
    assert all(WitnessState(tmp_path / "state.sqlite3").latest(log.origin).size == 4 for log in logs)
