"""Verifying an exported bundle: an honest one passes, and every kind of tampering is caught and named."""

import base64
import json
import shutil
from pathlib import Path

import pytest

from registry.auditlog import tlog
from registry.auditlog.verifier import parse_verifier_key, verify_bundle


def entry_key_name(audit_log) -> str:
    """Return the entry key as the verifier names it: name+key id."""
    return f"{audit_log.origin}/entries+{audit_log.entry_signer.key_id.hex()}"


def with_zero_signature(audit_log, line: str) -> str:
    """Return the entries.jsonl line with its signature replaced by 64 zero bytes."""
    record = audit_log.record(line)
    record["signature"] = base64.b64encode(bytes(64)).decode()
    return json.dumps(record) + "\n"


def headline(report) -> str:
    """Return the first problem the verifier found."""
    assert not report.ok, "the bundle verified but should not have"
    return report.problems[0]


def resealed_headline(bundle, audit_log) -> str:
    """Reseal the tampered bundle's manifest, as a forger would, verify it, and return the first problem found."""
    audit_log.reseal(bundle)
    return headline(verify_bundle(bundle, audit_log.verifier_keys, jobs=1))


def test_honest_bundle_verifies(bundle, audit_log) -> None:
    report = verify_bundle(bundle, audit_log.verifier_keys, jobs=1)
    assert report.problems == []
    assert (report.entries_checked, report.tree_size, report.origin) == (300, 300, audit_log.origin)
    assert report.entry_keys == [entry_key_name(audit_log)]


def test_honest_bundle_verifies_with_worker_processes(bundle, audit_log) -> None:
    assert verify_bundle(bundle, audit_log.verifier_keys, jobs=2).problems == []


def test_pinned_keys_raise_no_warning(bundle, audit_log) -> None:
    assert verify_bundle(bundle, audit_log.verifier_keys, jobs=1).warnings == []


def test_keys_taken_from_the_bundle_are_warned_about(bundle) -> None:
    report = verify_bundle(bundle, jobs=1)
    assert report.ok
    assert any("taken from the bundle" in warning for warning in report.warnings)


def test_edited_byte_in_an_entry_is_named(bundle, audit_log) -> None:
    lines = audit_log.read_lines(bundle)
    record = audit_log.record(lines[41])
    record["entry"] = record["entry"].replace('"approved"', '"approves"')
    lines[41] = json.dumps(record) + "\n"
    audit_log.write_lines(bundle, lines)
    report = verify_bundle(bundle, audit_log.verifier_keys, jobs=1)
    assert headline(report) == f"entry 41: signature does not verify with key {entry_key_name(audit_log)}"


def test_deleted_entry_is_named(bundle, audit_log) -> None:
    lines = audit_log.read_lines(bundle)
    del lines[7]
    audit_log.write_lines(bundle, lines)
    report = verify_bundle(bundle, audit_log.verifier_keys, jobs=1)
    assert headline(report) == (
        "entry 7: position 7 holds the entry with index 8 (an entry is missing, inserted or out of order)"
    )


def test_inserted_duplicate_entry_is_named(bundle, audit_log) -> None:
    lines = audit_log.read_lines(bundle)
    lines.insert(5, lines[3])
    audit_log.write_lines(bundle, lines)
    report = verify_bundle(bundle, audit_log.verifier_keys, jobs=1)
    assert headline(report).startswith("entry 5: position 5 holds the entry with index 3")


def test_inserted_forged_entry_is_named(bundle, audit_log) -> None:
    lines = audit_log.read_lines(bundle)
    forged = audit_log.entries(1, start=5)[0].replace(b"approved", b"rejected")
    lines.insert(5, audit_log.entry_line(5, forged, audit_log.other_signer))
    audit_log.write_lines(bundle, lines)
    report = verify_bundle(bundle, audit_log.verifier_keys, jobs=1)
    other_id = audit_log.other_signer.key_id.hex()
    assert headline(report) == f"entry 5: signed by key id {other_id}, which is not a trusted entry key"


def test_swapped_entries_are_named(bundle, audit_log) -> None:
    lines = audit_log.read_lines(bundle)
    lines[3], lines[5] = lines[5], lines[3]
    audit_log.write_lines(bundle, lines)
    report = verify_bundle(bundle, audit_log.verifier_keys, jobs=1)
    assert headline(report).startswith("entry 3: position 3 holds the entry with index 5")


def test_renumbered_line_with_untouched_entry_is_named(bundle, audit_log) -> None:
    lines = audit_log.read_lines(bundle)
    record = audit_log.record(lines[9])
    record["index"] = 10
    lines[9] = json.dumps(record) + "\n"
    audit_log.write_lines(bundle, lines)
    report = verify_bundle(bundle, audit_log.verifier_keys, jobs=1)
    assert headline(report) == "entry 9: the line says index 10 but the signed entry says 9"


def test_truncated_log_is_named(bundle, audit_log) -> None:
    audit_log.write_lines(bundle, audit_log.read_lines(bundle)[:290])
    report = verify_bundle(bundle, audit_log.verifier_keys, jobs=1)
    assert headline(report) == (
        "tree size: the checkpoint says 300 entries but entries.jsonl has 290 (the log was truncated)"
    )


def test_entries_appended_after_the_checkpoint_are_named(bundle, audit_log) -> None:
    lines = audit_log.read_lines(bundle) + [audit_log.entry_line(300, audit_log.entries(1, start=300)[0])]
    audit_log.write_lines(bundle, lines)
    report = verify_bundle(bundle, audit_log.verifier_keys, jobs=1)
    assert headline(report).endswith("has 301 (the log was extended)")


def test_checkpoint_signed_by_another_key_is_rejected(bundle, audit_log) -> None:
    forged = audit_log.signed_checkpoint(audit_log.entries(300), audit_log.other_signer)
    (bundle / "checkpoint").write_text(forged)
    assert resealed_headline(bundle, audit_log).startswith(f"checkpoint: not signed by a trusted log key for {audit_log.origin}")


def test_forged_checkpoint_and_keys_file_are_rejected_when_keys_are_pinned(bundle, audit_log) -> None:
    (bundle / "checkpoint").write_text(audit_log.signed_checkpoint(audit_log.entries(300), audit_log.other_signer))
    (bundle / "keys").write_text(audit_log.other_signer.verifier_key + "\n" + audit_log.entry_signer.verifier_key)
    assert resealed_headline(bundle, audit_log).startswith("checkpoint: not signed by a trusted log key")


def test_checkpoint_with_a_rewritten_root_is_rejected(bundle, audit_log) -> None:
    note = (bundle / "checkpoint").read_text()
    origin, size, root, _, signature = note.split("\n", 4)
    (bundle / "checkpoint").write_text(f"{origin}\n{size}\n{'A' * 43}=\n\n{signature}")
    assert resealed_headline(bundle, audit_log).startswith("checkpoint: not signed by a trusted log key")


def test_entries_not_matching_the_checkpoint_root_are_named(tmp_path, audit_log) -> None:
    bundle = audit_log.write_bundle(tmp_path / "bundle", audit_log.entries(10))
    # Validly signed, correctly indexed entries that are not the ones the checkpoint commits to.
    other = [entry.replace(b"approved", b"rejected") for entry in audit_log.entries(10)]
    lines = [audit_log.entry_line(index, entry) for index, entry in enumerate(other)]
    audit_log.write_lines(bundle, lines)
    report = verify_bundle(bundle, audit_log.verifier_keys, jobs=1)
    assert headline(report).startswith("root hash: the entries hash to")


def test_rolled_back_log_is_named(tmp_path, audit_log) -> None:
    kept = audit_log.signed_checkpoint(audit_log.entries(300))
    older = audit_log.write_bundle(tmp_path / "older", audit_log.entries(100))
    report = verify_bundle(older, audit_log.verifier_keys, old_checkpoint=kept, jobs=1)
    assert headline(report) == (
        "rolled back: the bundle's checkpoint has 100 entries, fewer than the 300 of the checkpoint you kept"
    )


def test_bundle_extending_the_kept_checkpoint_verifies(bundle, audit_log) -> None:
    kept = audit_log.signed_checkpoint(audit_log.entries(123))
    report = verify_bundle(bundle, audit_log.verifier_keys, old_checkpoint=kept, jobs=1)
    assert report.problems == [] and report.old_size == 123


def test_bundle_rewriting_the_kept_history_is_named(bundle, audit_log) -> None:
    rewritten = audit_log.entries(122) + [audit_log.entries(1, start=122)[0].replace(b"approved", b"rejected")]
    kept = audit_log.signed_checkpoint(rewritten)
    report = verify_bundle(bundle, audit_log.verifier_keys, old_checkpoint=kept, jobs=1)
    assert headline(report).startswith("old checkpoint: the bundle's first 123 entries do not hash to the root")


def test_kept_checkpoint_signed_by_another_key_is_refused(bundle, audit_log) -> None:
    kept = audit_log.signed_checkpoint(audit_log.entries(123), audit_log.other_signer)
    report = verify_bundle(bundle, audit_log.verifier_keys, old_checkpoint=kept, jobs=1)
    assert headline(report).startswith("old checkpoint: the note is not signed by any trusted key")


def test_tampered_hash_tile_is_named(bundle, audit_log) -> None:
    tile = bundle / "tile/0/000"
    data = bytearray(tile.read_bytes())
    data[32 * 17] ^= 1
    tile.write_bytes(bytes(data))
    assert resealed_headline(bundle, audit_log) == "tile/0/000: hash 17 does not match the tree recomputed from entries.jsonl"


def test_tampered_partial_upper_level_tile_is_named(bundle, audit_log) -> None:
    (bundle / "tile/1/000.p/1").write_bytes(bytes(32))
    assert resealed_headline(bundle, audit_log).startswith("tile/1/000.p/1: hash 0 does not match")


def test_tampered_entry_bundle_is_named(bundle, audit_log) -> None:
    path = bundle / "tile/entries/001.p/44"
    path.write_bytes(path.read_bytes().replace(b"approved", b"approves", 1))
    assert resealed_headline(bundle, audit_log) == "tile/entries/001.p/44: entry 0 does not match the tree recomputed from entries.jsonl"


def test_missing_tile_is_named(bundle, audit_log) -> None:
    (bundle / "tile/0/001.p/44").unlink()
    assert resealed_headline(bundle, audit_log) == "tile/0/001.p/44: missing from the bundle"


def test_tile_of_another_tree_size_is_named(bundle, audit_log) -> None:
    shutil.copyfile(bundle / "tile/0/001.p/44", bundle / "tile/0/001.p/45")
    assert resealed_headline(bundle, audit_log) == "tile/0/001.p/45: not a tile of the checkpoint's tree"


def test_file_not_matching_the_manifest_is_named(bundle, audit_log) -> None:
    (bundle / "README.md").write_text("Trust us.\n")
    report = verify_bundle(bundle, audit_log.verifier_keys, jobs=1)
    assert report.problems == ["README.md: its SHA-256 does not match manifest.json"]


def test_entries_edited_without_resealing_the_manifest_are_named_twice(bundle, audit_log) -> None:
    lines = audit_log.read_lines(bundle)
    del lines[7]
    (bundle / "entries.jsonl").write_text("".join(lines))
    report = verify_bundle(bundle, audit_log.verifier_keys, jobs=1)
    assert headline(report).startswith("entry 7: position 7 holds the entry with index 8")
    assert "entries.jsonl: its SHA-256 does not match manifest.json" in report.problems


def test_listed_file_missing_from_the_bundle_is_named(bundle, audit_log) -> None:
    (bundle / "policy").unlink()
    report = verify_bundle(bundle, audit_log.verifier_keys, jobs=1)
    assert report.problems == ["policy: listed in manifest.json but missing"]


def test_unlisted_file_is_named(bundle, audit_log) -> None:
    (bundle / "extra.txt").write_text("smuggled\n")
    report = verify_bundle(bundle, audit_log.verifier_keys, jobs=1)
    assert report.problems == ["extra.txt: not listed in manifest.json"]


def test_missing_checkpoint_is_named(bundle, audit_log) -> None:
    (bundle / "checkpoint").unlink()
    assert resealed_headline(bundle, audit_log) == "checkpoint: missing from the bundle"


def test_oversized_entry_is_named(tmp_path, audit_log) -> None:
    big = audit_log.entries(1)[0].replace(b'"v":1', b'"padding":"' + b"x" * 70_000 + b'","v":1')
    bundle = tmp_path / "bundle"
    audit_log.write_bundle(bundle, audit_log.entries(2))
    lines = audit_log.read_lines(bundle)
    lines[0] = audit_log.entry_line(0, big)
    audit_log.write_lines(bundle, lines)
    report = verify_bundle(bundle, audit_log.verifier_keys, jobs=1)
    assert headline(report).startswith("entry 0: 70")
    assert "over the 65534-byte limit" in headline(report)


def test_unreadable_line_is_named(bundle, audit_log) -> None:
    lines = audit_log.read_lines(bundle)
    lines[12] = "not json\n"
    audit_log.write_lines(bundle, lines)
    report = verify_bundle(bundle, audit_log.verifier_keys, jobs=1)
    assert headline(report).startswith("entry 12: the line is not an entry record")


def test_first_failing_entry_is_named_when_several_fail(bundle, audit_log) -> None:
    lines = audit_log.read_lines(bundle)
    for index in (250, 40, 270):
        lines[index] = with_zero_signature(audit_log, lines[index])
    audit_log.write_lines(bundle, lines)
    for jobs in (1, 2):
        assert headline(verify_bundle(bundle, audit_log.verifier_keys, jobs=jobs)) == (
            f"entry 40: signature does not verify with key {entry_key_name(audit_log)}"
        )


def test_skipping_signatures_still_catches_a_deleted_entry(bundle, audit_log) -> None:
    lines = audit_log.read_lines(bundle)
    del lines[7]
    audit_log.write_lines(bundle, lines)
    report = verify_bundle(bundle, audit_log.verifier_keys, check_signatures=False, jobs=1)
    assert headline(report).startswith("entry 7: position 7 holds the entry with index 8")


def test_skipping_signatures_does_not_check_them(bundle, audit_log) -> None:
    lines = audit_log.read_lines(bundle)
    lines[41] = with_zero_signature(audit_log, lines[41])
    audit_log.write_lines(bundle, lines)
    report = verify_bundle(bundle, audit_log.verifier_keys, check_signatures=False, jobs=1)
    assert report.problems == [] and not report.signatures_checked


def test_skipping_signatures_ignores_entries_signed_by_unknown_keys(bundle, audit_log) -> None:
    lines = audit_log.read_lines(bundle)
    lines[5] = audit_log.entry_line(5, audit_log.entries(1, start=5)[0], audit_log.other_signer)
    audit_log.write_lines(bundle, lines)
    report = verify_bundle(bundle, audit_log.verifier_keys, check_signatures=False, jobs=1)
    assert report.problems == [] and report.entry_keys == []


def test_rotated_log_key_still_verifies_old_entries_and_new_checkpoint(tmp_path, audit_log) -> None:
    new_log_key = tlog.Signer(audit_log.origin, audit_log.other_signer.key_id, audit_log.other_signer.private_key)
    bundle = audit_log.write_bundle(tmp_path / "bundle", audit_log.entries(20))
    (bundle / "checkpoint").write_text(audit_log.signed_checkpoint(audit_log.entries(20), new_log_key))
    audit_log.reseal(bundle)
    keys = [*audit_log.verifier_keys, parse_verifier_key(new_log_key.verifier_key)]
    report = verify_bundle(bundle, keys, jobs=1)
    assert report.problems == [] and report.log_keys == [str(keys[-1])]


def test_summary_names_the_figures_an_auditor_needs(bundle, audit_log) -> None:
    summary = verify_bundle(bundle, audit_log.verifier_keys, jobs=1).summary()
    assert summary.startswith("OK: the audit log bundle verifies.")
    for expected in (audit_log.origin, "tree size:         300", "entries checked:   300", entry_key_name(audit_log)):
        assert expected in summary


def test_empty_log_bundle_verifies(tmp_path, audit_log) -> None:
    bundle = audit_log.write_bundle(tmp_path / "bundle", [])
    assert verify_bundle(Path(bundle), audit_log.verifier_keys, jobs=1).problems == []
