"""A witness is set up with `flask witness init` and described by a small configuration file."""

import pytest

from registry.witness.config import ConfigProblem, read_config

from .logs import MemoryLog


def test_init_makes_a_private_key_and_a_configuration_and_prints_the_vkey(runner, tmp_path):
    log = MemoryLog()
    result = runner.invoke(args=["witness", "init", "example.org/leeds-witness", str(tmp_path / "w"),
                                 "--log", str(log.signer.verifier_key)])
    assert result.exit_code == 0, result.output
    config = read_config(tmp_path / "w" / "witness.conf")
    vkey = config.cosigner().public.vkey
    assert vkey in result.output and "PRIVATE" not in result.output
    assert list(config.logs) == [log.origin]
    assert (config.listen, config.synchronous) == (("127.0.0.1", 7380), "FULL")
    assert runner.invoke(args=["witness", "vkey", str(tmp_path / "w" / "witness.conf")]).output.strip() == vkey


def test_init_never_replaces_a_witness_already_there(runner, tmp_path):
    assert runner.invoke(args=["witness", "init", "example.org/w", str(tmp_path)]).exit_code == 0
    key = (tmp_path / "witness.key").read_text()
    again = runner.invoke(args=["witness", "init", "example.org/w", str(tmp_path)])
    assert again.exit_code != 0 and "already holds a witness" in again.output
    assert (tmp_path / "witness.key").read_text() == key


def test_init_refuses_a_bad_log_key_and_leaves_nothing(runner, tmp_path):
    result = runner.invoke(args=["witness", "init", "example.org/w", str(tmp_path), "--log", "not-a-key"])
    assert result.exit_code != 0
    assert not (tmp_path / "witness.key").exists() and not (tmp_path / "witness.conf").exists()


def test_the_configuration_reads_listen_and_sync_and_paths_beside_it(tmp_path):
    log = MemoryLog()
    (tmp_path / "witness.conf").write_text(
        f"# a comment\nkey k.key\nstate s.sqlite3\nlisten 0.0.0.0:8080\nsync normal\nlog {log.signer.verifier_key}\n"
    )
    config = read_config(tmp_path / "witness.conf")
    assert (config.key_file, config.state_file) == (tmp_path / "k.key", tmp_path / "s.sqlite3")
    assert (config.listen, config.synchronous) == (("0.0.0.0", 8080), "NORMAL")


@pytest.mark.parametrize(
    "text, says",
    [
        ("state s\n", "does not say key"),
        ("key k\nstate s\nlisten nowhere\n", "HOST:PORT"),
        ("key k\nstate s\nsync sometimes\n", "expected"),
        ("key k\nstate s\nlog nonsense\n", "line 3"),
    ],
)
def test_a_configuration_that_is_wrong_says_where(tmp_path, text, says):
    (tmp_path / "witness.conf").write_text(text)
    with pytest.raises(ConfigProblem, match=says):
        read_config(tmp_path / "witness.conf")
