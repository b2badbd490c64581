"""C2SP signed notes and verifier keys, as c2sp.org/signed-note and Go's sumdb/note specify them."""

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from registry.auditlog import tlog
from registry.auditlog.verifier import (
    MAX_NOTE_SIGNATURES,
    VerificationError,
    format_verifier_key,
    key_id,
    open_note,
    parse_note,
    parse_verifier_key,
    verify_note,
)

GO_VERIFIER_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
GO_SIGNATURE = (
    "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
GO_NOTE = GO_TEXT + "\n" + GO_SIGNATURE


def test_go_note_example_opens_with_its_verifier_key() -> None:
    assert open_note(GO_NOTE, [parse_verifier_key(GO_VERIFIER_KEY)]) == GO_TEXT


def test_go_note_example_is_refused_without_its_key(audit_log) -> None:
    with pytest.raises(VerificationError, match="not signed by any trusted key"):
        open_note(GO_NOTE, audit_log.verifier_keys)


def test_note_with_edited_text_is_rejected() -> None:
    with pytest.raises(VerificationError, match="does not verify"):
        open_note(GO_NOTE.replace("cryptography", "cryptograph!"), [parse_verifier_key(GO_VERIFIER_KEY)])


def test_signature_by_unknown_key_is_ignored_when_a_known_key_verifies(audit_log) -> None:
    note = tlog.sign_note(GO_TEXT, audit_log.other_signer)
    cosigned = note + tlog.sign_note(GO_TEXT, audit_log.log_signer).split("\n\n")[-1]
    keys = [parse_verifier_key(audit_log.log_signer.verifier_key)]
    assert open_note(cosigned, keys) == GO_TEXT
    assert verify_note(cosigned, keys) == keys


def test_unknown_key_sharing_name_and_id_but_not_both_is_ignored(audit_log) -> None:
    # other_signer has the log key's name but another key ID: the signature is not the log key's.
    note = tlog.sign_note(GO_TEXT, audit_log.other_signer)
    with pytest.raises(VerificationError, match="not signed by any trusted key"):
        open_note(note, [parse_verifier_key(audit_log.log_signer.verifier_key)])


def test_failing_signature_by_a_known_key_rejects_the_note_even_if_another_verifies(audit_log) -> None:
    good = tlog.sign_note(GO_TEXT, audit_log.log_signer)
    entry_signer = audit_log.entry_signer
    impostor = tlog.Signer(entry_signer.name, entry_signer.key_id, audit_log.other_signer.private_key)
    forged_line = tlog.sign_note(GO_TEXT, impostor).rpartition("\n\n")[2]
    with pytest.raises(VerificationError, match="does not verify"):
        open_note(good + forged_line, audit_log.verifier_keys)


def test_signature_claiming_a_known_key_that_does_not_verify_is_rejected(audit_log) -> None:
    forged = forge_key_id(tlog.sign_note(GO_TEXT, audit_log.other_signer), audit_log.log_signer.key_id)
    with pytest.raises(VerificationError, match="does not verify"):
        open_note(forged, [parse_verifier_key(audit_log.log_signer.verifier_key)])


def forge_key_id(note: str, key_id_bytes: bytes) -> str:
    """Return the note with its single signature relabelled as made by another key ID."""
    text, _, line = note.rpartition("\n\n")
    prefix, _, encoded = line.rstrip("\n").rpartition(" ")
    signature = base64.b64decode(encoded)
    return f"{text}\n\n{prefix} {base64.b64encode(key_id_bytes + signature[4:]).decode()}\n"


def test_note_text_may_contain_blank_lines(audit_log) -> None:
    text = "first paragraph\n\nsecond paragraph\n"
    note = tlog.sign_note(text, audit_log.log_signer)
    assert open_note(note, [parse_verifier_key(audit_log.log_signer.verifier_key)]) == text


@pytest.mark.parametrize(
    "note",
    [
        pytest.param(GO_TEXT + GO_SIGNATURE, id="no-blank-line"),
        pytest.param(GO_NOTE.rstrip("\n"), id="no-final-newline"),
        pytest.param(GO_NOTE.replace("\u2014 ", "- "), id="hyphen-instead-of-em-dash"),
        pytest.param(GO_NOTE.replace("\u2014 ", "\u2014"), id="no-space-after-em-dash"),
        pytest.param(GO_NOTE.replace("PeterNeumann x08", "Peter+Neumann x08"), id="plus-in-key-name"),
        pytest.param(GO_NOTE.replace("x08go", "x08g!"), id="bad-base64"),
        pytest.param(GO_NOTE.replace(GO_SIGNATURE.split(" ")[-1], "AAAA\n"), id="signature-too-short"),
        pytest.param(GO_NOTE + "\n", id="blank-line-after-signatures"),
        pytest.param(GO_NOTE.replace("answer", "ans\twer"), id="control-character"),
    ],
)
def test_malformed_note_is_refused(note: str) -> None:
    with pytest.raises(VerificationError):
        open_note(note, [parse_verifier_key(GO_VERIFIER_KEY)])


def test_note_with_sixteen_signatures_is_accepted() -> None:
    note = GO_NOTE + GO_SIGNATURE.replace("PeterNeumann", "Witness") * 15
    assert open_note(note, [parse_verifier_key(GO_VERIFIER_KEY)]) == GO_TEXT


def test_note_with_too_many_signatures_is_refused() -> None:
    note = GO_NOTE + GO_SIGNATURE.replace("PeterNeumann", "Witness") * MAX_NOTE_SIGNATURES
    with pytest.raises(VerificationError, match="more than"):
        parse_note(note)


def test_key_id_is_the_first_four_bytes_of_sha256_of_name_newline_type_and_key() -> None:
    key = parse_verifier_key(GO_VERIFIER_KEY)
    assert key_id("PeterNeumann", key.public_key) == hashlib.sha256(b"PeterNeumann\n\x01" + key.public_key).digest()[:4]
    assert key.key_id.hex() == "c74f20a3"


def test_verifier_key_splits_on_the_first_two_pluses_only() -> None:
    public_key = next(k for k in map(plus_key, range(256)) if "+" in base64.b64encode(b"\x01" + k).decode())
    text = format_verifier_key("example.com/log", public_key)
    assert text.count("+") > 2
    assert parse_verifier_key(text).public_key == public_key


def plus_key(seed: int) -> bytes:
    """Return a deterministic Ed25519 public key."""
    private_key = Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32)
    return private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def test_verifier_key_round_trips_through_its_string() -> None:
    key = parse_verifier_key(GO_VERIFIER_KEY)
    assert format_verifier_key(key.name, key.public_key) == GO_VERIFIER_KEY


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(GO_VERIFIER_KEY.replace("c74f20a3", "c74f20a4"), id="wrong-key-id"),
        pytest.param(GO_VERIFIER_KEY.replace("+ARpc", "+AhpC"), id="not-ed25519"),
        pytest.param(GO_VERIFIER_KEY.replace("c74f20a3", "c74f20"), id="short-key-id"),
        pytest.param(GO_VERIFIER_KEY[:-4], id="truncated-key"),
        pytest.param("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", id="space-in-name"),
    ],
)
def test_malformed_verifier_key_is_refused(text: str) -> None:
    with pytest.raises(VerificationError):
        parse_verifier_key(text)
