"""RFC 6962 hashing and RFC 9162 proof verification against vectors nobody on this project wrote."""

import base64
import json
from pathlib import Path

import pytest

from registry.auditlog.verifier import (
    EMPTY_ROOT,
    VerificationError,
    hash_leaf,
    root_from_leaf_hashes,
    verify_consistency,
    verify_inclusion,
)

VECTORS = Path(__file__).parent.parent / "data" / "tlog-vectors"


def vector_files(kind: str, want_error: bool) -> list[Path]:
    """Return the vector files of one kind whose wantErr is want_error."""
    files = sorted((VECTORS / kind).rglob("*.json"))
    return [path for path in files if json.loads(path.read_text())["wantErr"] is want_error]


def vector_id(path: Path) -> str:
    """Name a test case after its vector file."""
    return path.relative_to(VECTORS).as_posix()


def decoded(vector: dict, key: str) -> bytes:
    """Return a base64 field of a vector as bytes."""
    return base64.b64decode(vector[key])


def proof_of(vector: dict) -> list[bytes]:
    """Return a vector's proof (null means empty) as bytes."""
    return [base64.b64decode(item) for item in vector["proof"] or []]


def check_inclusion(path: Path) -> None:
    """Run verify_inclusion on an inclusion vector file."""
    vector = json.loads(path.read_text())
    verify_inclusion(
        decoded(vector, "leafHash"), vector["leafIdx"], vector["treeSize"], proof_of(vector), decoded(vector, "root")
    )


def check_consistency(path: Path) -> None:
    """Run verify_consistency on a consistency vector file."""
    vector = json.loads(path.read_text())
    verify_consistency(
        vector["size1"], vector["size2"], proof_of(vector), decoded(vector, "root1"), decoded(vector, "root2")
    )


def test_vector_directory_holds_both_kinds_and_both_verdicts() -> None:
    assert len(vector_files("inclusion", False)) >= 5
    assert len(vector_files("inclusion", True)) >= 50
    assert len(vector_files("consistency", False)) >= 5
    assert len(vector_files("consistency", True)) >= 50


CHECKS = {"inclusion": check_inclusion, "consistency": check_consistency}


def vectors(want_error: bool) -> list:
    """Return a case for each vector file of both kinds whose wantErr is want_error, named kind/file, with its check."""
    return [pytest.param(check, path, id=vector_id(path)) for kind, check in CHECKS.items() for path in vector_files(kind, want_error)]


@pytest.mark.parametrize(("check", "path"), vectors(want_error=False))
def test_valid_vector_is_accepted(check, path: Path) -> None:
    check(path)


@pytest.mark.parametrize(("check", "path"), vectors(want_error=True))
def test_invalid_vector_is_rejected(check, path: Path) -> None:
    with pytest.raises(VerificationError):
        check(path)


def test_leaf_hash_of_empty_entry_matches_the_design_vector() -> None:
    assert hash_leaf(b"").hex() == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"


def test_root_of_the_eight_leaf_tree_matches_the_design_vector() -> None:
    leaves = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
    root = root_from_leaf_hashes([hash_leaf(bytes.fromhex(leaf)) for leaf in leaves])
    assert root.hex() == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"


def test_root_of_the_empty_tree_is_sha256_of_nothing() -> None:
    assert root_from_leaf_hashes([]) == EMPTY_ROOT
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_inclusion_proof_error_says_why() -> None:
    leaf = hash_leaf(b"")
    with pytest.raises(VerificationError, match="not in a tree of size 1"):
        verify_inclusion(leaf, 1, 1, [], leaf)


def test_consistency_from_the_empty_tree_is_refused_as_meaningless() -> None:
    with pytest.raises(VerificationError, match="empty tree is meaningless"):
        verify_consistency(0, 5, [], EMPTY_ROOT, EMPTY_ROOT)
