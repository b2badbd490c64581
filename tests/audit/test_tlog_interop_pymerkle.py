"""Interop with pymerkle 7, an RFC 6962 Merkle tree library nobody on this project wrote."""

import pytest
from pymerkle import InclusionProof, InmemoryTree, InvalidProof, verify_inclusion

from registry.auditlog import tlog
from registry.auditlog.verifier import root_from_leaf_hashes


@pytest.fixture(scope="module")
def entries(audit_log) -> list[bytes]:
    """Return 1,000 entries."""
    return audit_log.entries(1000)


@pytest.fixture(scope="module")
def pymerkle_tree(entries) -> InmemoryTree:
    """Return pymerkle's in-memory tree of the entries, with its default RFC 6962 prefixes."""
    tree = InmemoryTree(algorithm="sha256")
    for entry in entries:
        tree.append_entry(entry)
    assert tree.security, "pymerkle must prefix leaves with 0x00 and nodes with 0x01, as RFC 6962 does"
    return tree


def as_pymerkle_proof(index: int, size: int, leaf_hash: bytes, proof: list[bytes]) -> InclusionProof:
    """Convert an RFC 6962 inclusion proof into pymerkle's: leaf first, and a side bit per step."""
    # pymerkle's rule has one bit per node on the path, 1 for a right child; the root's bit is 0.
    # The bits follow RFC 9162 §2.1.3.2: the proof hash is on the left when LSB(fn) is set or fn == sn.
    rule = []
    fn, sn = index, size - 1
    for _ in proof:
        if fn & 1 or fn == sn:
            rule.append(1)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            rule.append(0)
        fn, sn = fn >> 1, sn >> 1
    return InclusionProof("sha256", True, size, index + 1, rule + [0], [leaf_hash, *proof])


def test_every_tree_size_up_to_1000_has_the_same_root_as_pymerkle(pymerkle_tree, our_log) -> None:
    mismatched = [
        size
        for size in range(1, 1001)
        if pymerkle_tree.get_root(size) != tlog.tree_hash(size, our_log.reader(size))
        or pymerkle_tree.get_root(size) != root_from_leaf_hashes(our_log.leaf_hashes[:size])
    ]
    assert mismatched == []


def test_pymerkle_accepts_every_inclusion_proof_in_small_trees(pymerkle_tree, our_log) -> None:
    for size in range(1, 65):
        for index in range(size):
            proof = tlog.prove_record(size, index, our_log.read_hashes)
            pymerkle_proof = as_pymerkle_proof(index, size, our_log.leaf_hashes[index], proof)
            verify_inclusion(our_log.leaf_hashes[index], pymerkle_tree.get_root(size), pymerkle_proof)


@pytest.mark.parametrize("size", [255, 256, 257, 999, 1000])
def test_pymerkle_accepts_inclusion_proofs_in_larger_trees(pymerkle_tree, our_log, size: int) -> None:
    for index in range(0, size, 7):
        proof = tlog.prove_record(size, index, our_log.read_hashes)
        pymerkle_proof = as_pymerkle_proof(index, size, our_log.leaf_hashes[index], proof)
        verify_inclusion(
            our_log.leaf_hashes[index], pymerkle_tree.get_root(size), pymerkle_proof, index=index + 1, size=size
        )


def test_pymerkle_rejects_our_inclusion_proof_with_a_flipped_bit(pymerkle_tree, our_log) -> None:
    proof = tlog.prove_record(1000, 500, our_log.read_hashes)
    proof[3] = bytes([proof[3][0] ^ 1]) + proof[3][1:]
    pymerkle_proof = as_pymerkle_proof(500, 1000, our_log.leaf_hashes[500], proof)
    with pytest.raises(InvalidProof):
        verify_inclusion(our_log.leaf_hashes[500], pymerkle_tree.get_root(1000), pymerkle_proof)


def test_pymerkle_rejects_our_inclusion_proof_for_another_leaf(pymerkle_tree, our_log) -> None:
    proof = tlog.prove_record(1000, 500, our_log.read_hashes)
    pymerkle_proof = as_pymerkle_proof(500, 1000, our_log.leaf_hashes[501], proof)
    with pytest.raises(InvalidProof):
        verify_inclusion(our_log.leaf_hashes[501], pymerkle_tree.get_root(1000), pymerkle_proof)


def test_our_proofs_are_the_paths_pymerkle_generates(pymerkle_tree, our_log) -> None:
    for size in (1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987):
        for index in (0, size // 2, size - 1):
            theirs = pymerkle_tree.prove_inclusion(index + 1, size).path[1:]
            assert tlog.prove_record(size, index, our_log.read_hashes) == theirs
