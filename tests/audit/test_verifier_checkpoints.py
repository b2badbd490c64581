"""C2SP tlog-checkpoint, tlog-proof receipts and tlog-policy files, read as their specifications say."""

import base64

import pytest

from registry.auditlog import tlog
from registry.auditlog.verifier import (
    RECEIPT_HEADER,
    Checkpoint,
    VerificationError,
    hash_leaf,
    open_checkpoint,
    parse_checkpoint,
    parse_policy,
    parse_receipt,
    parse_verifier_key,
    verify_receipt,
)

ROOT = bytes(range(32))
ROOT_B64 = base64.b64encode(ROOT).decode()


def test_checkpoint_text_is_origin_size_and_base64_root_lines() -> None:
    assert tlog.format_checkpoint("example.com/log", 42, ROOT) == f"example.com/log\n42\n{ROOT_B64}\n"


def test_checkpoint_fields_are_parsed() -> None:
    assert parse_checkpoint(f"example.com/log\n42\n{ROOT_B64}\n") == Checkpoint("example.com/log", 42, ROOT)


def test_checkpoint_extension_lines_are_kept() -> None:
    checkpoint = parse_checkpoint(f"example.com/log\n0\n{ROOT_B64}\nextension one\nextension two\n")
    assert checkpoint.extensions == ("extension one", "extension two")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(f"example.com/log\n042\n{ROOT_B64}\n", id="leading-zero-size"),
        pytest.param(f"example.com/log\n-1\n{ROOT_B64}\n", id="negative-size"),
        pytest.param(f"example.com/log\n42\n{ROOT_B64[:-4]}\n", id="short-root"),
        pytest.param("example.com/log\n42\n", id="no-root-line"),
        pytest.param(f"\n42\n{ROOT_B64}\n", id="empty-origin"),
        pytest.param(f"example.com/log\n42\n{ROOT_B64}\n\nextension\n", id="empty-extension-line"),
        pytest.param(f"example.com/log\n42\n{ROOT_B64}", id="no-final-newline"),
    ],
)
def test_malformed_checkpoint_is_refused(text: str) -> None:
    with pytest.raises(VerificationError):
        parse_checkpoint(text)


def test_checkpoint_signed_by_the_log_key_named_as_its_origin_opens(audit_log) -> None:
    note = audit_log.signed_checkpoint(audit_log.entries(3))
    assert open_checkpoint(note, audit_log.verifier_keys).size == 3


def test_checkpoint_signed_only_by_a_key_named_otherwise_is_refused(audit_log) -> None:
    # The entry key is trusted, but not to sign checkpoints: its name is not the origin.
    text = tlog.format_checkpoint(audit_log.origin, 0, ROOT)
    with pytest.raises(VerificationError, match="not signed by any trusted key"):
        open_checkpoint(tlog.sign_note(text, audit_log.entry_signer), audit_log.verifier_keys)


def test_receipt_lists_header_index_proof_blank_line_and_checkpoint(audit_log) -> None:
    checkpoint = audit_log.signed_checkpoint(audit_log.entries(3))
    receipt = tlog.format_receipt(2, [ROOT, ROOT], checkpoint)
    assert receipt == f"{RECEIPT_HEADER}\nindex 2\n{ROOT_B64}\n{ROOT_B64}\n\n{checkpoint}"


def test_receipt_proves_its_entry_offline(audit_log) -> None:
    entries = audit_log.entries(7)
    log = audit_log.memory_log(entries)
    receipt = tlog.format_receipt(5, tlog.prove_record(7, 5, log.read_hashes), audit_log.signed_checkpoint(entries))
    assert verify_receipt(receipt, entries[5], audit_log.verifier_keys).size == 7


def test_receipt_for_a_tree_of_one_has_no_proof_lines(audit_log) -> None:
    entries = audit_log.entries(1)
    receipt = tlog.format_receipt(0, [], audit_log.signed_checkpoint(entries))
    assert parse_receipt(receipt).proof == ()
    assert verify_receipt(receipt, entries[0], audit_log.verifier_keys).size == 1


def test_receipt_with_extra_data_line_is_parsed(audit_log) -> None:
    receipt = tlog.format_receipt(0, [], audit_log.signed_checkpoint(audit_log.entries(1)))
    with_extra = receipt.replace("\nindex 0\n", "\nextra aGVsbG8=\nindex 0\n")
    assert parse_receipt(with_extra).extra == b"hello"


def test_receipt_does_not_prove_another_entry(audit_log) -> None:
    entries = audit_log.entries(7)
    log = audit_log.memory_log(entries)
    receipt = tlog.format_receipt(5, tlog.prove_record(7, 5, log.read_hashes), audit_log.signed_checkpoint(entries))
    with pytest.raises(VerificationError, match="different root"):
        verify_receipt(receipt, entries[4], audit_log.verifier_keys)


def test_receipt_with_flipped_proof_bit_is_rejected(audit_log) -> None:
    entries = audit_log.entries(7)
    proof = tlog.prove_record(7, 5, audit_log.memory_log(entries).read_hashes)
    proof[1] = bytes([proof[1][0] ^ 1]) + proof[1][1:]
    receipt = tlog.format_receipt(5, proof, audit_log.signed_checkpoint(entries))
    with pytest.raises(VerificationError):
        verify_receipt(receipt, entries[5], audit_log.verifier_keys)


def test_receipt_under_a_checkpoint_by_another_key_is_rejected(audit_log) -> None:
    entries = audit_log.entries(1)
    receipt = tlog.format_receipt(0, [], audit_log.signed_checkpoint(entries, audit_log.other_signer))
    with pytest.raises(VerificationError, match="not signed by any trusted key"):
        verify_receipt(receipt, entries[0], audit_log.verifier_keys)


@pytest.mark.parametrize(
    "header, index_line",
    [
        pytest.param("c2sp.org/tlog-proof@v2", "index 0", id="wrong-header"),
        pytest.param(RECEIPT_HEADER, "index 00", id="leading-zero-index"),
        pytest.param(RECEIPT_HEADER, "idx 0", id="no-index-line"),
    ],
)
def test_malformed_receipt_is_refused(audit_log, header: str, index_line: str) -> None:
    checkpoint = audit_log.signed_checkpoint(audit_log.entries(1))
    with pytest.raises(VerificationError):
        parse_receipt(f"{header}\n{index_line}\n\n{checkpoint}")


def test_receipt_leaf_is_the_rfc6962_hash_of_the_exact_entry_bytes(audit_log) -> None:
    entries = audit_log.entries(1)
    checkpoint = parse_checkpoint(audit_log.signed_checkpoint(entries).split("\n\n")[0] + "\n")
    assert checkpoint.root_hash == hash_leaf(entries[0])


def test_policy_names_the_log_keys_and_requires_no_witnesses_yet(audit_log) -> None:
    policy = parse_policy(tlog.format_policy([audit_log.log_signer.verifier_key]))
    assert policy.logs == (parse_verifier_key(audit_log.log_signer.verifier_key),)
    assert policy.quorum == "none"


def test_policy_parsing_reads_comments_groups_and_urls(audit_log) -> None:
    from registry.witness.cosignature import generate_cosigner

    key = audit_log.log_signer.verifier_key
    witness = generate_cosigner("example.org/w1").public.vkey
    text = f"# our log\nlog {key} https://example.com/\n\nwitness W1 {witness} https://w1.example/\ngroup G any W1\nquorum G\n"
    policy = parse_policy(text)
    assert len(policy.logs) == 1 and set(policy.witnesses) == {"W1"} and policy.quorum == "G"
    assert policy.urls == {"W1": "https://w1.example/"} and policy.groups == {"G": (1, ("W1",))}
