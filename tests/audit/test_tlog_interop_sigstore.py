"""Interop with sigstore-python 4.5.1: its Rekor inclusion proof and checkpoint verification."""

import base64

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sigstore._internal.merkle import verify_merkle_inclusion
from sigstore._internal.rekor.checkpoint import verify_checkpoint
from sigstore._internal.trust import Keyring, RekorKeyring
from sigstore.errors import VerificationError as SigstoreVerificationError
from sigstore.models import TransparencyLogEntry
from sigstore_models.common import v1 as common_v1
from sigstore_models.rekor import v1 as rekor_v1

from registry.auditlog import tlog
from registry.auditlog.tlog import Signer


def b64(data: bytes) -> str:
    """Return standard base64 text."""
    return base64.b64encode(data).decode()


def sigstore_entry(entry: bytes, index: int, proof: list[bytes], root: bytes, size: int, note: str, key_id: bytes):
    """Build sigstore's TransparencyLogEntry from our entry, proof and signed checkpoint."""
    inner = rekor_v1.TransparencyLogEntry(
        log_index=str(index),
        log_id=common_v1.LogId(key_id=b64(key_id)),
        kind_version=rekor_v1.KindVersion(kind="registry-audit", version="1"),
        inclusion_proof=rekor_v1.InclusionProof(
            log_index=str(index),
            root_hash=b64(root),
            tree_size=str(size),
            hashes=[b64(h) for h in proof],
            checkpoint=rekor_v1.Checkpoint(envelope=note),
        ),
        canonicalized_body=b64(entry),
    )
    return TransparencyLogEntry(inner)


def keyring_of(signer: Signer) -> RekorKeyring:
    """Return sigstore's keyring holding our Ed25519 log key, DER-encoded as its trust roots are."""
    der = signer.private_key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    public_key = common_v1.PublicKey(raw_bytes=b64(der), key_details=common_v1.PublicKeyDetails.PKIX_ED25519)
    return RekorKeyring(Keyring([public_key]))


@pytest.fixture(scope="module")
def entries(audit_log) -> list[bytes]:
    """Return 300 entries."""
    return audit_log.entries(300)


def entry_at(audit_log, entries, our_log, index: int, size: int, signer: Signer | None = None):
    """Return sigstore's view of entry index under our checkpoint of size, signed by signer."""
    proof = tlog.prove_record(size, index, our_log.read_hashes)
    root = tlog.tree_hash(size, our_log.read_hashes)
    signer = signer or audit_log.log_signer
    note = tlog.sign_note(tlog.format_checkpoint(audit_log.origin, size, root), signer)
    return sigstore_entry(entries[index], index, proof, root, size, note, audit_log.log_signer.key_id)


@pytest.mark.parametrize("size", [1, 2, 3, 7, 8, 9, 255, 256, 257, 300])
def test_sigstore_accepts_our_inclusion_proofs(audit_log, entries, our_log, size: int) -> None:
    for index in sorted({0, size // 3, size // 2, size - 1}):
        verify_merkle_inclusion(entry_at(audit_log, entries, our_log, index, size))


def test_sigstore_rejects_our_inclusion_proof_with_a_flipped_bit(audit_log, entries, our_log) -> None:
    proof = tlog.prove_record(300, 123, our_log.read_hashes)
    proof[2] = bytes([proof[2][0] ^ 0x80]) + proof[2][1:]
    root = tlog.tree_hash(300, our_log.read_hashes)
    entry = sigstore_entry(entries[123], 123, proof, root, 300, "unused\n\n", audit_log.log_signer.key_id)
    with pytest.raises(SigstoreVerificationError):
        verify_merkle_inclusion(entry)


def test_sigstore_rejects_our_inclusion_proof_for_another_entry(audit_log, entries, our_log) -> None:
    proof = tlog.prove_record(300, 123, our_log.read_hashes)
    root = tlog.tree_hash(300, our_log.read_hashes)
    entry = sigstore_entry(entries[124], 123, proof, root, 300, "unused\n\n", audit_log.log_signer.key_id)
    with pytest.raises(SigstoreVerificationError):
        verify_merkle_inclusion(entry)


def test_sigstore_accepts_our_signed_checkpoint(audit_log, entries, our_log) -> None:
    verify_checkpoint(keyring_of(audit_log.log_signer), entry_at(audit_log, entries, our_log, 10, 300))


def test_sigstore_rejects_our_checkpoint_with_a_tampered_root(audit_log, entries, our_log) -> None:
    entry = entry_at(audit_log, entries, our_log, 10, 300)
    note = entry._inner.inclusion_proof.checkpoint.envelope
    text, _, signatures = note.partition("\n\n")
    origin, size, root = text.split("\n")
    forged_root = b64(bytes(32))
    entry._inner.inclusion_proof.checkpoint.envelope = f"{origin}\n{size}\n{forged_root}\n\n{signatures}"
    with pytest.raises(SigstoreVerificationError):
        verify_checkpoint(keyring_of(audit_log.log_signer), entry)


def test_sigstore_rejects_a_checkpoint_signed_by_another_key(audit_log, entries, our_log) -> None:
    entry = entry_at(audit_log, entries, our_log, 10, 300, signer=audit_log.other_signer)
    with pytest.raises(SigstoreVerificationError):
        verify_checkpoint(keyring_of(audit_log.log_signer), entry)


def test_sigstore_rejects_another_keys_checkpoint_even_under_our_key_id(audit_log, entries, our_log) -> None:
    impostor = Signer(audit_log.origin, audit_log.log_signer.key_id, audit_log.other_signer.private_key)
    entry = entry_at(audit_log, entries, our_log, 10, 300, signer=impostor)
    with pytest.raises(SigstoreVerificationError, match="invalid signature"):
        verify_checkpoint(keyring_of(audit_log.log_signer), entry)
