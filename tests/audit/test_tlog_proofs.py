"""Inclusion and consistency proofs served from stored hashes, checked by the offline verifier."""

import math

import pytest

from registry.auditlog import tlog
from registry.auditlog.verifier import VerificationError, root_from_leaf_hashes, verify_consistency, verify_inclusion


def flipped(proof: list[bytes], item: int, bit: int = 0) -> list[bytes]:
    """Return the proof with one bit of one hash flipped."""
    changed = list(proof)
    changed[item] = bytes([changed[item][0] ^ (1 << bit)]) + changed[item][1:]
    return changed


def root(memory_log, size: int) -> bytes:
    """Return the root of the log's first size records, computed from its leaves."""
    return root_from_leaf_hashes(memory_log.leaf_hashes[:size])


@pytest.mark.parametrize("size", range(1, 301))
def test_every_inclusion_proof_in_a_tree_of_this_size_verifies(memory_log, size: int) -> None:
    tree_root = root(memory_log, size)
    for index in range(size):
        proof = tlog.prove_record(size, index, memory_log.reader(size))
        verify_inclusion(memory_log.leaf_hashes[index], index, size, proof, tree_root)


@pytest.mark.parametrize("new_size", range(1, 65))
def test_every_consistency_proof_to_a_tree_of_this_size_verifies(memory_log, new_size: int) -> None:
    new_root = root(memory_log, new_size)
    for old_size in range(1, new_size + 1):
        proof = tlog.prove_tree(new_size, old_size, memory_log.reader(new_size))
        verify_consistency(old_size, new_size, proof, root(memory_log, old_size), new_root)


@pytest.mark.parametrize("item", range(8))
def test_inclusion_proof_with_flipped_bit_is_rejected(memory_log, item: int) -> None:
    proof = tlog.prove_record(300, 137, memory_log.read_hashes)
    with pytest.raises(VerificationError):
        verify_inclusion(memory_log.leaf_hashes[137], 137, 300, flipped(proof, item), root(memory_log, 300))


def test_inclusion_proof_for_another_index_is_rejected(memory_log) -> None:
    proof = tlog.prove_record(300, 137, memory_log.read_hashes)
    with pytest.raises(VerificationError):
        verify_inclusion(memory_log.leaf_hashes[137], 136, 300, proof, root(memory_log, 300))


def test_inclusion_proof_in_another_tree_size_is_rejected(memory_log) -> None:
    proof = tlog.prove_record(300, 137, memory_log.read_hashes)
    with pytest.raises(VerificationError):
        verify_inclusion(memory_log.leaf_hashes[137], 137, 299, proof, root(memory_log, 299))


def test_consistency_proof_with_flipped_bit_is_rejected(memory_log) -> None:
    proof = tlog.prove_tree(300, 77, memory_log.read_hashes)
    for item in range(len(proof)):
        with pytest.raises(VerificationError):
            verify_consistency(77, 300, flipped(proof, item, 7), root(memory_log, 77), root(memory_log, 300))


def test_consistency_proof_against_a_rewritten_old_tree_is_rejected(memory_log, audit_log) -> None:
    proof = tlog.prove_tree(300, 77, memory_log.read_hashes)
    rewritten = audit_log.memory_log(audit_log.entries(77, start=1))
    with pytest.raises(VerificationError):
        verify_consistency(77, 300, proof, root_from_leaf_hashes(rewritten.leaf_hashes), root(memory_log, 300))


def test_consistency_proof_between_equal_sizes_is_empty(memory_log) -> None:
    assert tlog.prove_tree(300, 300, memory_log.read_hashes) == []


def test_proof_of_a_record_outside_the_tree_is_refused(memory_log) -> None:
    with pytest.raises(ValueError):
        tlog.prove_record(10, 10, memory_log.read_hashes)


def test_consistency_proof_from_the_empty_tree_is_refused(memory_log) -> None:
    with pytest.raises(ValueError):
        tlog.prove_tree(10, 0, memory_log.read_hashes)


@pytest.mark.parametrize("index", [0, 1, 123_456, 999_998, 999_999])
def test_inclusion_proof_at_a_million_entries_reads_o_log_n_hashes_in_one_call(index: int) -> None:
    calls: list[list[int]] = []
    proof = tlog.prove_record(1_000_000, index, recording_reader(calls))
    assert len(calls) == 1
    assert len(proof) <= math.ceil(math.log2(1_000_000))
    assert len(calls[0]) <= 2 * math.ceil(math.log2(1_000_000))


@pytest.mark.parametrize("old_size", [1, 2, 1000, 524_288, 999_999])
def test_consistency_proof_at_a_million_entries_reads_o_log_n_hashes_in_one_call(old_size: int) -> None:
    calls: list[list[int]] = []
    tlog.prove_tree(1_000_000, old_size, recording_reader(calls))
    assert len(calls) == 1
    assert len(calls[0]) <= 3 * math.ceil(math.log2(1_000_000))


def recording_reader(calls: list[list[int]]) -> tlog.ReadHashes:
    """Return a read_hashes over a virtual log of any size, recording each call."""

    def read_hashes(indexes: list[int]) -> list[bytes]:
        calls.append(indexes)
        return [index.to_bytes(32, "big") for index in indexes]

    return read_hashes
