"""Cosignatures (c2sp.org/tlog-cosignature, Ed25519 type 0x04), checked against sigsum-go's published vectors
and against a check written from the specification (tests/witness/independent.py)."""

import base64
import os
import stat

import pytest

from registry.auditlog.verifier import (
    VerificationError,
    cosignature_message,
    parse_note,
    parse_signature_line,
    parse_witness_key,
)
from registry.witness.cosignature import format_private_key, generate_cosigner, parse_private_key, write_private_key

from .independent import cosignature_time

# sigsum-go, pkg/types/tree_head_test.go: the message a cosignature signs, for a tree head of size 257
# whose root hash is the bytes 0 to 31, at time 72623859790382856.
SIGSUM_ORIGIN = "sigsum.org/v1/tree/66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925"
SIGSUM_COSIGNED_DATA = (
    "cosignature/v1\n"
    "time 72623859790382856\n"
    "sigsum.org/v1/tree/66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925\n"
    "257\n"
    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"
)
# sigsum-go, pkg/checkpoint/cosignature_test.go: a cosignature line and what it holds.
SIGSUM_LINE = (
    "\u2014 example.org/witness-key "
    "deadbeef+deadcod/codAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n"
)

CHECKPOINT = "example.org/log\n12\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"


def test_the_signed_message_is_sigsums_vector():
    checkpoint = f"{SIGSUM_ORIGIN}\n257\n{base64.b64encode(bytes(range(32))).decode()}\n"
    assert cosignature_message(checkpoint, 72623859790382856).decode() == SIGSUM_COSIGNED_DATA


def test_a_cosignature_line_reads_as_sigsums_vector_says():
    line = parse_signature_line(SIGSUM_LINE.rstrip("\n"))
    assert line.name == "example.org/witness-key"
    assert line.key_id == bytes([117, 230, 157, 109])
    assert int.from_bytes(line.signature[:8], "big") == 0xE79FF9D79A75CA1D
    assert line.signature[8:] == bytes([253, 202, 29]) + bytes(61)


def test_our_cosignature_verifies_by_the_specifications_own_terms():
    cosigner = generate_cosigner("example.org/witness")
    line = cosigner.cosign(CHECKPOINT, 1_700_000_000)
    assert cosignature_time(line, "example.org/witness", cosigner.public.public_key, CHECKPOINT) == 1_700_000_000


def _cosigned_at(key, checkpoint, line):
    return key.cosigned_at(checkpoint, parse_note(f"{checkpoint}\n{line}").signatures[0])


def test_a_cosignature_verifies_only_for_its_key_and_its_checkpoint():
    cosigner, other = generate_cosigner("example.org/witness"), generate_cosigner("example.org/other")
    line = cosigner.cosign(CHECKPOINT, 1_700_000_000)
    assert _cosigned_at(cosigner.public, CHECKPOINT, line) == 1_700_000_000
    assert _cosigned_at(other.public, CHECKPOINT, line) is None  # another key's line is not its business
    with pytest.raises(VerificationError, match="does not verify"):
        _cosigned_at(cosigner.public, CHECKPOINT.replace("12", "13"), line)
    # A character well inside the signature (the last ones before the padding carry spare bits).
    tampered = line[:-20] + ("A" if line[-20] != "A" else "B") + line[-19:]
    with pytest.raises(VerificationError, match="does not verify"):
        _cosigned_at(cosigner.public, CHECKPOINT, tampered)


def test_a_timestamp_of_zero_or_beyond_2_63_is_never_signed():
    cosigner = generate_cosigner("example.org/witness")
    for timestamp in (0, 2**63):
        with pytest.raises(ValueError):
            cosigner.cosign(CHECKPOINT, timestamp)


def test_the_vkey_names_the_key_with_type_0x04_and_reads_back():
    public = generate_cosigner("example.org/witness").public
    name, hex_id, encoded = public.vkey.split("+", 2)
    assert (name, base64.b64decode(encoded)[0]) == ("example.org/witness", 0x04)
    assert parse_witness_key(public.vkey) == public
    with pytest.raises(VerificationError, match="wrong key ID"):
        parse_witness_key(f"{name}+00000000+{encoded}")
    note_key = base64.b64encode(bytes([0x01]) + public.public_key).decode()
    with pytest.raises(VerificationError, match="not an Ed25519 cosignature/v1"):
        parse_witness_key(f"{name}+{hex_id}+{note_key}")


def test_the_private_key_file_is_the_owners_alone_and_never_overwritten(tmp_path):
    cosigner = generate_cosigner("example.org/witness")
    path = tmp_path / "witness.key"
    write_private_key(path, cosigner)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert parse_private_key(path.read_text()).public == cosigner.public
    with pytest.raises(FileExistsError):
        write_private_key(path, generate_cosigner("example.org/witness"))
    assert format_private_key(parse_private_key(path.read_text())) == path.read_text().strip()
