"""The stored-hash layout of Go's golang.org/x/mod/sumdb/tlog, and appending records to it."""

import pytest

from registry.auditlog import tlog
from registry.auditlog.verifier import hash_children, hash_leaf, root_from_leaf_hashes

# (level, n) -> index, as StoredHashIndex lays them out: record 3 completes levels 1 and 2.
GO_LAYOUT = [((0, 0), 0), ((0, 1), 1), ((1, 0), 2), ((0, 2), 3), ((0, 3), 4), ((1, 1), 5), ((2, 0), 6), ((0, 4), 7),
             ((0, 5), 8), ((1, 2), 9), ((0, 6), 10), ((0, 7), 11), ((1, 3), 12), ((2, 1), 13), ((3, 0), 14)]


@pytest.mark.parametrize("coordinates, index", GO_LAYOUT, ids=[f"{c}->{i}" for c, i in GO_LAYOUT])
def test_stored_hash_index_follows_the_go_layout(coordinates: tuple[int, int], index: int) -> None:
    assert tlog.stored_hash_index(*coordinates) == index


def test_split_stored_hash_index_inverts_stored_hash_index() -> None:
    for index in range(20_000):
        assert tlog.stored_hash_index(*tlog.split_stored_hash_index(index)) == index


def test_stored_hash_index_is_gap_free_and_increasing_as_records_are_appended() -> None:
    seen = []
    for record in range(1000):
        completed = (record + 1 & -(record + 1)).bit_length() - 1
        seen += [tlog.stored_hash_index(level, record >> level) for level in range(completed + 1)]
    assert seen == list(range(len(seen)))


@pytest.mark.parametrize("records, count", [(0, 0), (1, 1), (2, 3), (3, 4), (4, 7), (5, 8), (8, 15), (1000, 1994)])
def test_stored_hash_count_is_about_two_per_record(records: int, count: int) -> None:
    assert tlog.stored_hash_count(records) == count


def test_record_completing_no_subtree_stores_only_its_leaf_hash_without_reading() -> None:
    calls = []
    hashes = tlog.stored_hashes_for_record(4, hash_leaf(b"e"), lambda indexes: calls.append(indexes) or [])
    assert hashes == [hash_leaf(b"e")]
    assert calls == [[]]


def test_record_completing_subtrees_stores_their_hashes_after_its_leaf(memory_log) -> None:
    hashes = tlog.stored_hashes_for_record(3, memory_log.leaf_hashes[3], memory_log.read_hashes)
    a, b, c, d = memory_log.leaf_hashes[:4]
    assert hashes == [d, hash_children(c, d), hash_children(hash_children(a, b), hash_children(c, d))]


def test_appending_reads_the_completed_siblings_in_one_call(audit_log) -> None:
    log = audit_log.memory_log(audit_log.entries(255))
    log.calls.clear()
    log.append(audit_log.entries(1, start=255)[0])
    assert len(log.calls) == 1 and len(log.calls[0]) == 8


def test_stored_hashes_give_the_rfc6962_root_of_every_prefix(memory_log) -> None:
    for size in range(301):
        assert tlog.tree_hash(size, memory_log.reader(size)) == root_from_leaf_hashes(memory_log.leaf_hashes[:size])


def test_tree_hash_reads_at_most_log_n_hashes_in_one_call() -> None:
    calls = []
    tlog.tree_hash(1_000_000, fake_reader(calls))
    assert len(calls) == 1 and len(calls[0]) <= 20


def fake_reader(calls: list[list[int]]) -> tlog.ReadHashes:
    """Return a read_hashes over a virtual log of any size, recording each call."""

    def read_hashes(indexes: list[int]) -> list[bytes]:
        calls.append(indexes)
        return [index.to_bytes(32, "big") for index in indexes]

    return read_hashes


def test_short_read_is_refused() -> None:
    with pytest.raises(ValueError, match="read_hashes returned"):
        tlog.tree_hash(3, lambda indexes: [])
