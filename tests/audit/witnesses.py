"""Real witnesses (registry/witness) for tests of the registry's side: served on 127.0.0.1 in this process."""

from contextlib import contextmanager
from pathlib import Path

from registry.auditlog import keys
from registry.auditlog.verifier import parse_verifier_key
from registry.witness.app import ServedInThread
from registry.witness.cosignature import generate_cosigner
from registry.witness.state import WitnessState
from registry.witness.witnessing import Witness

NAMES = ("leeds-witness", "bradford-witness")


class RunningWitness:
    """One witness served from a thread, with its own key and state file; stop() takes it down."""

    def __init__(self, name: str, log_key, folder: Path) -> None:
        self.cosigner = generate_cosigner(f"{name}.example")
        self.state = WitnessState(folder / f"{name}.sqlite3")
        self._served: ServedInThread | None = ServedInThread(Witness(self.cosigner, {log_key.name: [log_key]}, self.state))
        self.url = self._served.url

    def stop(self) -> None:
        if self._served is not None:
            self._served.stop()
            self._served = None


@contextmanager
def running_witnesses(app, folder: Path, names=NAMES):
    """Run a witness per name, all watching the app's log, and write the policy naming them all (quorum: all of them)."""
    log_key = parse_verifier_key(keys.signer("log").verifier_key)
    running = {name: RunningWitness(name, log_key, folder) for name in names}
    policy = folder / "witnesses.policy"
    policy.write_text(
        "".join(f"witness {name} {w.cosigner.public.vkey} {w.url}\n" for name, w in running.items())
        + f"group both all {' '.join(names)}\nquorum both\n"
    )
    app.config["AUDIT_WITNESS_POLICY"] = str(policy)
    try:
        yield running
    finally:
        for witness in running.values():
            witness.stop()
            witness.state.close()
