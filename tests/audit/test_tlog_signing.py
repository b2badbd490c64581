"""Ed25519 signer keys, signed notes, checkpoints, entry signatures and bundle lines."""

import base64
import json

import pytest

from registry.auditlog import tlog
from registry.auditlog.verifier import (
    VerificationError,
    open_checkpoint,
    open_note,
    parse_verifier_key,
    verify_entry_signature,
)

GO_SIGNER_KEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VERIFIER_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
GO_SIGNATURE_LINE = (
    "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)


def test_go_note_example_is_signed_byte_for_byte() -> None:
    assert tlog.sign_note(GO_TEXT, tlog.parse_signer_key(GO_SIGNER_KEY)) == GO_TEXT + "\n" + GO_SIGNATURE_LINE


def test_go_signer_key_publishes_the_go_verifier_key() -> None:
    assert tlog.parse_signer_key(GO_SIGNER_KEY).verifier_key == GO_VERIFIER_KEY


def test_signer_key_round_trips_through_its_string() -> None:
    assert tlog.format_signer_key(tlog.parse_signer_key(GO_SIGNER_KEY)) == GO_SIGNER_KEY


def test_generated_key_signs_notes_its_verifier_key_opens() -> None:
    signer_key, verifier_key = tlog.generate_signer_key("registry.example/audit")
    note = tlog.sign_note("hello\n", tlog.parse_signer_key(signer_key))
    assert open_note(note, [parse_verifier_key(verifier_key)]) == "hello\n"


def test_generated_keys_differ() -> None:
    assert tlog.generate_signer_key("a")[0] != tlog.generate_signer_key("a")[0]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(GO_SIGNER_KEY.replace("c74f20a3", "c74f20a4"), id="wrong-key-id"),
        pytest.param(GO_SIGNER_KEY.replace("PRIVATE+KEY", "PUBLIC+KEY"), id="not-private"),
        pytest.param(GO_SIGNER_KEY.replace("+AYEK", "+AoEK"), id="not-ed25519"),
        pytest.param(GO_VERIFIER_KEY, id="a-verifier-key"),
    ],
)
def test_malformed_signer_key_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        tlog.parse_signer_key(text)


@pytest.mark.parametrize("name", ["", "has space", "has+plus"])
def test_key_with_an_invalid_name_cannot_be_generated(name: str) -> None:
    with pytest.raises(ValueError):
        tlog.generate_signer_key(name)


@pytest.mark.parametrize("text", ["no final newline", "tab\there\n"])
def test_note_text_that_cannot_be_signed_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        tlog.sign_note(text, tlog.parse_signer_key(GO_SIGNER_KEY))


def test_signed_checkpoint_opens_with_the_log_key(audit_log) -> None:
    note = tlog.sign_note(tlog.format_checkpoint(audit_log.origin, 5, bytes(32)), audit_log.log_signer)
    assert open_checkpoint(note, audit_log.verifier_keys).size == 5


def test_entry_signature_verifies_with_the_published_entry_key(audit_log) -> None:
    entry = audit_log.entries(1)[0]
    hex_key_id, signature = tlog.sign_entry(entry, audit_log.entry_signer)
    key = parse_verifier_key(audit_log.entry_signer.verifier_key)
    assert hex_key_id == key.key_id.hex()
    verify_entry_signature(entry, signature, key)


def test_entry_signature_does_not_cover_another_entry(audit_log) -> None:
    first, second = audit_log.entries(2)
    _, signature = tlog.sign_entry(first, audit_log.entry_signer)
    with pytest.raises(VerificationError, match="does not verify"):
        verify_entry_signature(second, signature, parse_verifier_key(audit_log.entry_signer.verifier_key))


def test_entry_line_carries_the_exact_entry_text_key_id_and_base64_signature(audit_log) -> None:
    entry = '{"index":0,"note":"caf\u00e9 \\"quoted\\""}'.encode()
    line = tlog.format_entry_line(0, entry, "1a2b3c4d", b"\x01\x02")
    record = json.loads(line)
    assert line.endswith("\n") and "\n" not in line[:-1]
    assert record == {"index": 0, "entry": entry.decode(), "key_id": "1a2b3c4d", "signature": "AQI="}
    assert record["entry"].encode("utf-8") == entry


def test_manifest_maps_each_path_to_its_sha256() -> None:
    manifest = json.loads(tlog.format_manifest({"b": "22", "a": "11"}))
    assert manifest == {"files": {"a": "11", "b": "22"}}


def test_policy_file_lists_the_log_keys_then_the_quorum() -> None:
    assert tlog.format_policy(["k1+00000000+AA==", "k2+00000000+AA=="]) == (
        "log k1+00000000+AA==\nlog k2+00000000+AA==\nquorum none\n"
    )


def test_signature_line_base64_holds_key_id_then_64_byte_signature() -> None:
    encoded = GO_SIGNATURE_LINE.split(" ")[-1]
    raw = base64.b64decode(encoded)
    assert raw[:4].hex() == "c74f20a3" and len(raw) == 68
