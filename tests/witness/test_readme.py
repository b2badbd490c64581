"""The README's "Witnesses" section works as printed: making a witness, and the policy it shows."""

import re
import shlex
from pathlib import Path

from registry.auditlog import cosigning, keys
from registry.auditlog.verifier import parse_policy, parse_verifier_key
from registry.witness.config import read_config
from registry.witness.cosignature import generate_cosigner

SECTION = (Path(__file__).resolve().parents[2] / "README.md").read_text().split("## Witnesses\n", 1)[1].split("\n## ", 1)[0]


def _blocks() -> list[str]:
    return re.findall(r"```(?:sh)?\n(.*?)```", SECTION, re.S)


def test_the_init_command_makes_a_witness_that_watches_the_log(app, runner, tmp_path):
    init = next(line for line in _blocks()[0].splitlines() if "witness init" in line).split("  #")[0]
    log_key = keys.signer("log").verifier_key
    words = [w.replace("/srv/witness", str(tmp_path / "witness")) for w in shlex.split(init.replace("<log verifier key>", log_key))]
    assert words[:3] == ["flask", "--app", "wsgi"]

    result = runner.invoke(args=words[3:])

    assert result.exit_code == 0, result.output
    config = read_config(tmp_path / "witness" / "witness.conf")
    assert config.logs[keys.origin()] == [parse_verifier_key(log_key)]


def test_the_policy_example_is_one_the_registry_serves_and_parses(app, tmp_path, client):
    example = _blocks()[1]
    for placeholder, name in (("<its verifier key>", "witness.leeds.example"), ("<its verifier key>", "witness.bradford.example")):
        example = example.replace(placeholder, generate_cosigner(name).public.vkey, 1)
    (tmp_path / "witnesses.policy").write_text(example)
    app.config["AUDIT_WITNESS_POLICY"] = str(tmp_path / "witnesses.policy")

    policy = parse_policy(cosigning.policy_text())

    assert set(policy.witnesses) == {"leeds-witness", "bradford-witness"}
    assert policy.urls["leeds-witness"] == "https://witness.leeds.example"
    assert policy.witnessed_by(policy.quorum, {"leeds-witness"}) is False
    assert policy.witnessed_by(policy.quorum, {"leeds-witness", "bradford-witness"}) is True
