"""Two demo witnesses for `make run`: "Leeds witness" and "Bradford witness", with a 2-of-2 quorum.

Each is a witness as a council would run one (registry/witness): its own key and state in
instance/witnesses/<name>/, watching this registry's log, served on a local port. The policy
naming both is written to the instance folder, where the registry reads it (AUDIT_WITNESS_POLICY).
"""

from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from registry.auditlog import cosigning, keys
from registry.witness.cosignature import generate_cosigner, parse_private_key, write_private_key


@dataclass(frozen=True)
class DemoWitness:
    folder: str
    name: str  # its key name
    policy_name: str
    port: int


DEMO_WITNESSES = (
    DemoWitness("leeds", "witness.leeds.example", "leeds-witness", 7381),
    DemoWitness("bradford", "witness.bradford.example", "bradford-witness", 7382),
)


def set_up_demo_witnesses() -> list[Path]:
    """Make each demo witness's key and configuration if missing, and the policy; return the configuration files."""
    log_key = keys.signer("log").verifier_key
    configs, witness_lines = [], []
    for witness in DEMO_WITNESSES:
        folder = Path(current_app.instance_path) / "witnesses" / witness.folder
        folder.mkdir(parents=True, exist_ok=True)
        key_file = folder / "witness.key"
        if not key_file.exists():
            write_private_key(key_file, generate_cosigner(witness.name))
        cosigner = parse_private_key(key_file.read_text(encoding="utf-8"))
        config = folder / "witness.conf"
        # Rewritten each time, so that it always watches the log's current key.
        config.write_text(
            f"# {witness.policy_name}: a demo witness\nkey witness.key\nstate witness.sqlite3\n"
            f"listen 127.0.0.1:{witness.port}\nlog {log_key}\n",
            encoding="utf-8",
        )
        configs.append(config)
        witness_lines.append(f"witness {witness.policy_name} {cosigner.public.vkey} http://127.0.0.1:{witness.port}\n")
    names = " ".join(w.policy_name for w in DEMO_WITNESSES)
    policy = "# The demo's witnesses: both must cosign.\n" + "".join(witness_lines) + f"group demo-witnesses all {names}\nquorum demo-witnesses\n"
    path = cosigning.policy_file()
    if path is not None:
        path.write_text(policy, encoding="utf-8")
    return configs
