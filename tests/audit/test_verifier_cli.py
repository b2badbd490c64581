"""The verifier as an auditor runs it: a copy of one file, outside the registry, from the command line."""

from pathlib import Path

from tests.standalone import run_standalone


def test_copied_verifier_cannot_see_the_registry(standalone_verifier: Path) -> None:
    probe = standalone_verifier.parent / "probe.py"
    probe.write_text("import importlib.util, sys\nsys.exit(importlib.util.find_spec('registry') is not None)\n")
    assert run_standalone(probe).returncode == 0


def test_honest_bundle_exits_0_and_says_ok(standalone_verifier: Path, bundle: Path) -> None:
    result = run_standalone(standalone_verifier, str(bundle))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK: the audit log bundle verifies.")
    assert "WARNING: the keys were taken from the bundle itself" in result.stdout


def test_pinned_keys_are_given_with_key_options(standalone_verifier: Path, bundle: Path, audit_log) -> None:
    keys = [arg for signer in (audit_log.log_signer, audit_log.entry_signer) for arg in ("--key", signer.verifier_key)]
    result = run_standalone(standalone_verifier, str(bundle), *keys)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout


def test_bundle_with_a_deleted_entry_exits_1_naming_it(standalone_verifier: Path, bundle: Path, audit_log) -> None:
    lines = audit_log.read_lines(bundle)
    del lines[7]
    audit_log.write_lines(bundle, lines)
    result = run_standalone(standalone_verifier, str(bundle), "--jobs", "2")
    assert result.returncode == 1
    assert result.stdout.splitlines()[:2] == [
        "FAILED: the audit log bundle does not verify.",
        "  entry 7: position 7 holds the entry with index 8 (an entry is missing, inserted or out of order)",
    ]


def test_checkpoint_not_signed_by_the_pinned_key_exits_1(standalone_verifier: Path, bundle: Path, audit_log) -> None:
    result = run_standalone(standalone_verifier, str(bundle), "--key", audit_log.other_signer.verifier_key)
    assert result.returncode == 1
    assert "checkpoint: not signed by a trusted log key" in result.stdout


def test_old_checkpoint_option_detects_a_rollback(standalone_verifier: Path, tmp_path: Path, audit_log) -> None:
    kept = tmp_path / "kept-checkpoint"
    kept.write_text(audit_log.signed_checkpoint(audit_log.entries(300)))
    older = audit_log.write_bundle(tmp_path / "older", audit_log.entries(100))
    result = run_standalone(standalone_verifier, str(older), "--old-checkpoint", str(kept))
    assert result.returncode == 1
    assert "  rolled back: the bundle's checkpoint has 100 entries" in result.stdout


def test_old_checkpoint_option_accepts_a_log_that_extends_it(standalone_verifier, bundle, tmp_path, audit_log) -> None:
    kept = tmp_path / "kept-checkpoint"
    kept.write_text(audit_log.signed_checkpoint(audit_log.entries(299)))
    result = run_standalone(standalone_verifier, str(bundle), "--old-checkpoint", str(kept))
    assert result.returncode == 0, result.stdout
    assert "extends the checkpoint you kept, of size 299" in result.stdout


def test_no_signatures_option_says_signatures_were_skipped(standalone_verifier: Path, bundle: Path) -> None:
    result = run_standalone(standalone_verifier, str(bundle), "--no-signatures")
    assert result.returncode == 0
    assert "WITHOUT entry signatures" in result.stdout


def test_malformed_key_option_is_a_usage_error(standalone_verifier: Path, bundle: Path) -> None:
    result = run_standalone(standalone_verifier, str(bundle), "--key", "not-a-key")
    assert result.returncode == 2
    assert "malformed verifier key" in result.stderr


def test_bundle_copy_of_the_verifier_runs_too(bundle: Path) -> None:
    result = run_standalone(bundle / "verify.py", ".")
    assert result.returncode == 0, result.stdout + result.stderr
