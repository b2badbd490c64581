"""The registry's write throughput with its witnesses asked in the background, and without, on PostgreSQL.

`python -m bench.witnessing`: two witnesses (registry/witness, each with its own key and SQLite
state, fsync per answer) are served on 127.0.0.1 from this process, under a 2-of-2 policy.
The writes are committed changes through the real service (an administrator renaming a
partner body, authorities.services.edit_partner, with its audit entry), as in bench.audit_cost.
"With" runs a witness worker thread beside the writes: as `flask audit witness --watch` does,
a round of cosigning.ask_witnesses() whenever the log has grown, at most one every
AUDIT_WITNESS_ROUND_SECONDS (its own database connection, the consistency proof read from the
stored hashes, both witnesses asked over HTTP). "Without" runs no worker. Rounds of a fixed
time alternate between the two so that both see the same machine. Target: within 10%.

Serving the witnesses from this process is harsher than a deployment, where they run on other
councils' machines: their proof checks and signatures here compete with the writes for the GIL.
"""

import logging
import statistics
import threading
import time

from registry.auditlog import cosigning, keys, queries
from registry.auditlog.verifier import parse_verifier_key
from registry.authorities import services as authority_services
from registry.core.unit_of_work import unit_of_work
from registry.extensions import db
from registry.users.actors import COMMAND_LINE
from registry.witness.app import ServedInThread
from registry.witness.cosignature import generate_cosigner
from registry.witness.state import WitnessState
from registry.witness.witnessing import Witness

from .setup import OUT, fresh_postgres, machine, migrated_app

ROUNDS = 10
ROUND_SECONDS = 6.0
NAMES = ("leeds-witness", "bradford-witness")


def _serve_witnesses(folder) -> tuple[list[ServedInThread], str]:
    """Start the two witnesses on free ports; return them and the policy naming both."""
    folder.mkdir(parents=True, exist_ok=True)
    log_key = parse_verifier_key(keys.signer("log").verifier_key)
    served, lines = [], []
    for name in NAMES:
        for old in folder.glob(f"{name}.sqlite3*"):
            old.unlink()
        cosigner = generate_cosigner(f"{name}.bench.example")
        witness = ServedInThread(Witness(cosigner, {log_key.name: [log_key]}, WitnessState(folder / f"{name}.sqlite3")))
        served.append(witness)
        lines.append(f"witness {name} {cosigner.public.vkey} {witness.url}\n")
    return served, "".join(lines) + f"group both all {' '.join(NAMES)}\nquorum both\n"


class WitnessWorker:
    """The background worker's loop, in a thread with its own app context (and so its own connection)."""

    def __init__(self, app) -> None:
        self.app = app
        self.rounds = 0
        self.busy_seconds = 0.0  # inside rounds: the worker's proofs and requests, and the witnesses' answers
        self.problems: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "WitnessWorker":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        interval = self.app.config["AUDIT_WITNESS_ROUND_SECONDS"]
        with self.app.app_context():
            asked_at_size = None
            while not self._stop.is_set():
                size = queries.log_size()
                db.session.rollback()  # end the read, so the next look sees new commits
                if size != asked_at_size:
                    started = time.perf_counter()
                    report = cosigning.ask_witnesses()
                    self.busy_seconds += time.perf_counter() - started
                    self.rounds += 1
                    self.problems += [f"{name}: {problem}" for name, problem in report.problems.items()]
                    asked_at_size = size if not report.problems else None
                self._stop.wait(interval)
            db.session.remove()


def _writes_for(authority, seconds: float, label: str) -> float:
    """Make committed changes for about `seconds`; return changes per second."""
    count, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        with unit_of_work():
            authority_services.edit_partner(COMMAND_LINE, authority, {"type": "OTHER", "name": f"Body {label} {count}"})
        count += 1
    return count / elapsed


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per witness request otherwise
    url = fresh_postgres("registry_bench_witnessing")
    instance = OUT / "witnessing-instance"
    app = migrated_app(url, instance)
    with app.app_context():
        served, policy = _serve_witnesses(OUT / "witnessing-witnesses")
        (instance / "witnesses.policy").write_text(policy)
        app.config["AUDIT_WITNESS_POLICY"] = str(instance / "witnesses.policy")
        with unit_of_work():
            authority = authority_services.add_partner(COMMAND_LINE, {"code": "BENCH-1", "name": "Body", "type": "OTHER"})
        _writes_for(authority, 2.0, "warm-up")
        on, off, rounds, busy, problems = [], [], 0, 0.0, []
        for number in range(ROUNDS):
            with WitnessWorker(app) as worker:
                on.append(_writes_for(authority, ROUND_SECONDS, f"on {number}"))
            rounds += worker.rounds
            busy += worker.busy_seconds
            problems += worker.problems
            off.append(_writes_for(authority, ROUND_SECONDS, f"off {number}"))
        # One last round, so that the figures end with the whole log cosigned by both.
        final = cosigning.ask_witnesses()
        witnessing = cosigning.witnessing()
        for witness in served:
            witness.stop()
    with_, without = statistics.median(on), statistics.median(off)
    print(f"machine: {machine()}")
    print(f"database: PostgreSQL ({url.rsplit('@', 1)[-1]}); witnesses: 2 on 127.0.0.1 in this process, 2-of-2")
    print(f"{ROUNDS} rounds of {ROUND_SECONDS:.0f} s each way, alternating; witness rounds every "
          f"{app.config['AUDIT_WITNESS_ROUND_SECONDS']:g} s at most while witnessing")
    print(f"  without witnessing: median {without:,.0f} committed changes a second ({', '.join(f'{x:.0f}' for x in off)})")
    print(f"  with witnessing:    median {with_:,.0f} committed changes a second ({', '.join(f'{x:.0f}' for x in on)})")
    print(f"  with / without: {with_ / without:.3f} of the medians; median of each round's pair: "
          f"{statistics.median(a / b for a, b in zip(on, off)):.3f} (target: at least 0.90)")
    print(f"  witness rounds while writing: {rounds}, problems: {len(problems)}{' (' + problems[0] + ')' if problems else ''}")
    print(f"  time inside rounds: {busy / max(rounds, 1) * 1000:.1f} ms a round, "
          f"{busy / (ROUNDS * ROUND_SECONDS) * 100:.2f}% of the time spent writing with witnessing on")
    print(f"  at the end: log of {witnessing.log_size:,} entries, cosigned by the quorum up to {witnessing.cosigned_size:,}"
          f" (last round: {', '.join(final.cosigned) or 'nothing new'})")


if __name__ == "__main__":
    main()
