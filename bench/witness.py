"""A witness's add-checkpoint rate for a log of 1,000,000 entries.

`python -m bench.witness`: builds a 1,000,000-entry log in memory (its stored hashes), then
sends the witness 2,000 add-checkpoint requests through its WSGI app, each advancing from the
witness's latest size by 1 to 500 entries with the RFC 6962 consistency proof (about 20
hashes at this size). Every request is answered in full: the body parsed, the log's Ed25519
signature verified, the proof verified, the cosignature made and the new latest checkpoint
committed to the witness's SQLite file with synchronous=FULL (an fsync per request) before the
answer. The bodies are made beforehand: signing checkpoints is the log's work, not the
witness's. Target: at least 500 requests a second.
"""

import base64
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

from werkzeug.test import Client

from registry.auditlog import tlog
from registry.auditlog.verifier import hash_leaf, parse_verifier_key
from registry.witness.app import WitnessApp
from registry.witness.cosignature import generate_cosigner
from registry.witness.state import WitnessState
from registry.witness.witnessing import Witness

from .setup import machine

ORIGIN = "bench.example/log"
SIZE = 1_000_000
REQUESTS = 2_000
random.seed(6962)


def _log(size: int) -> list[bytes]:
    hashes: list[bytes] = []
    read = lambda indexes: [hashes[i] for i in indexes]  # noqa: E731
    for n in range(size):
        hashes.extend(tlog.stored_hashes_for_record(n, hash_leaf(n.to_bytes(8, "big")), read))
    return hashes


def _bodies(read, signer, origin: str, sizes: list[int]) -> list[bytes]:
    bodies = []
    for old, new in zip(sizes, sizes[1:]):
        checkpoint = tlog.sign_note(tlog.format_checkpoint(origin, new, tlog.tree_hash(new, read)), signer)
        proof = tlog.prove_tree(new, old, read)
        lines = [f"old {old}", *(base64.b64encode(h).decode() for h in proof)]
        bodies.append(("\n".join(lines) + "\n\n" + checkpoint).encode())
    return bodies


def _many_logs(read, synchronous: str, logs: int, per_log: int) -> float:
    """Return requests per second with `logs` client threads, each advancing its own log."""
    signers, streams = {}, {}
    for n in range(logs):
        origin = f"bench.example/log-{n}"
        signer_key, vkey = tlog.generate_signer_key(origin)
        signers[origin] = (tlog.parse_signer_key(signer_key), parse_verifier_key(vkey))
        sizes = sorted(random.sample(range(SIZE // 2, SIZE + 1), per_log + 1))
        first = tlog.sign_note(tlog.format_checkpoint(origin, sizes[0], tlog.tree_hash(sizes[0], read)), signers[origin][0])
        streams[origin] = [f"old 0\n\n{first}".encode(), *_bodies(read, signers[origin][0], origin, sizes)]
    with tempfile.TemporaryDirectory() as folder:
        state = WitnessState(Path(folder) / "witness.sqlite3", synchronous=synchronous)
        witness = Witness(generate_cosigner("bench.example/witness"), {o: [v] for o, (_, v) in signers.items()}, state)
        app = WitnessApp(witness)
        for stream in streams.values():  # each log's first checkpoint, not timed
            assert Client(app).post("/add-checkpoint", data=stream[0]).status_code == 200
        barrier = threading.Barrier(logs + 1)

        def send(stream):
            client = Client(app)
            barrier.wait()
            for body in stream[1:]:
                assert client.post("/add-checkpoint", data=body).status_code == 200

        threads = [threading.Thread(target=send, args=(stream,)) for stream in streams.values()]
        for thread in threads:
            thread.start()
        barrier.wait()
        started = time.perf_counter()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        state.close()
    return logs * per_log / elapsed


def main() -> None:
    started = time.perf_counter()
    hashes = _log(SIZE)
    read = lambda indexes: [hashes[i] for i in indexes]  # noqa: E731
    signer_key, vkey = tlog.generate_signer_key(ORIGIN)
    signer = tlog.parse_signer_key(signer_key)
    print(f"log of {SIZE:,} entries built in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    sizes = sorted(random.sample(range(SIZE - 1_000_000 // 2, SIZE + 1), REQUESTS + 1))
    bodies = []
    for old, new in zip(sizes, sizes[1:]):
        checkpoint = tlog.sign_note(tlog.format_checkpoint(ORIGIN, new, tlog.tree_hash(new, read)), signer)
        proof = tlog.prove_tree(new, old, read)
        lines = [f"old {old}", *(base64.b64encode(h).decode() for h in proof)]
        bodies.append(("\n".join(lines) + "\n\n" + checkpoint).encode())
    first = tlog.sign_note(tlog.format_checkpoint(ORIGIN, sizes[0], tlog.tree_hash(sizes[0], read)), signer)
    proof_lengths = [body.count(b"\n") - 6 for body in bodies]

    print(machine())
    for synchronous in ("FULL", "NORMAL"):
        with tempfile.TemporaryDirectory() as folder:
            state = WitnessState(Path(folder) / "witness.sqlite3", synchronous=synchronous)
            witness = Witness(generate_cosigner("bench.example/witness"), {ORIGIN: [parse_verifier_key(vkey)]}, state)
            client = Client(WitnessApp(witness))
            assert client.post("/add-checkpoint", data=f"old 0\n\n{first}".encode()).status_code == 200
            started = time.perf_counter()
            for body in bodies:
                response = client.post("/add-checkpoint", data=body)
                assert response.status_code == 200, response.text
            elapsed = time.perf_counter() - started
            state.close()
        print(f"witness add-checkpoint, {SIZE:,}-entry log, {REQUESTS:,} requests one after another "
              f"(proofs of {min(proof_lengths)} to {max(proof_lengths)} hashes), synchronous={synchronous}: "
              f"{REQUESTS / elapsed:,.0f} requests/s ({elapsed * 1000 / REQUESTS:.2f} ms each); target at least 500/s")
    for synchronous in ("FULL", "NORMAL"):
        rate = _many_logs(read, synchronous, logs=8, per_log=250)
        print(f"witness add-checkpoint, 8 logs of {SIZE:,} entries at once, 250 requests each, "
              f"synchronous={synchronous}: {rate:,.0f} requests/s; target at least 500/s")


if __name__ == "__main__":
    main()
