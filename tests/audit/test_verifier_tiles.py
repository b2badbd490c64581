"""C2SP tlog-tiles paths, the tiles that make up a tree, and entry bundles."""

import pytest

from registry.auditlog import tlog
from registry.auditlog.verifier import (
    MAX_ENTRY_SIZE,
    Tile,
    VerificationError,
    entry_bundles_for_tree_size,
    parse_entry_bundle,
    parse_tile_path,
    tile_path,
    tiles_for_tree_size,
)

PATHS = [
    (Tile(0, 0), "tile/0/000"),
    (Tile(0, 1234067), "tile/0/x001/x234/067"),
    (Tile(2, 1000, 17), "tile/2/x001/000.p/17"),
    (Tile(1, 5, 1), "tile/1/005.p/1"),
    (Tile(None, 5), "tile/entries/005"),
    (Tile(None, 999, 255), "tile/entries/999.p/255"),
]


@pytest.mark.parametrize("tile, path", PATHS, ids=[path for _, path in PATHS])
def test_tile_path_groups_index_digits_in_threes_with_x_prefixes(tile: Tile, path: str) -> None:
    assert tile_path(tile) == path


@pytest.mark.parametrize("tile, path", PATHS, ids=[path for _, path in PATHS])
def test_tile_path_parses_back_to_its_tile(tile: Tile, path: str) -> None:
    assert parse_tile_path(path) == tile


@pytest.mark.parametrize(
    "path",
    ["tile/0/67", "tile/0/x000/067", "tile/00/000", "tile/64/000", "tile/0/000.p/0", "tile/0/000.p/256",
     "tile/0/000.p/07", "tile/0/001/002", "tile/x/000", "tile/entries/000.p/", "tiles/0/000"],
)
def test_non_canonical_tile_path_is_refused(path: str) -> None:
    with pytest.raises(VerificationError):
        parse_tile_path(path)


def test_tree_of_70000_entries_has_the_tiles_the_specification_lists() -> None:
    tiles = tiles_for_tree_size(70_000)
    assert [t for t in tiles if t.level == 0 and not t.is_partial] == [Tile(0, n) for n in range(273)]
    assert [t for t in tiles if t.is_partial] == [Tile(0, 273, 112), Tile(1, 1, 17), Tile(2, 0, 1)]
    assert [t for t in tiles if t.level == 1 and not t.is_partial] == [Tile(1, 0)]


def test_tree_of_256_entries_has_a_full_tile_and_a_level_one_partial_tile() -> None:
    assert tiles_for_tree_size(256) == [Tile(0, 0), Tile(1, 0, 1)]


def test_empty_tree_has_no_tiles() -> None:
    assert tiles_for_tree_size(0) == [] and entry_bundles_for_tree_size(0) == []


def test_entry_bundles_follow_the_level_zero_tiles() -> None:
    assert entry_bundles_for_tree_size(300) == [Tile(None, 0), Tile(None, 1, 44)]


def test_entry_bundle_prefixes_each_entry_with_its_big_endian_uint16_length() -> None:
    assert tlog.entry_bundle([b"ab", b"", b"c" * 258]) == b"\x00\x02ab\x00\x00\x01\x02" + b"c" * 258


def test_entry_bundle_parses_back_to_its_entries() -> None:
    entries = [b"first", b"", b"x" * MAX_ENTRY_SIZE]
    assert parse_entry_bundle(tlog.entry_bundle(entries)) == entries


@pytest.mark.parametrize("data", [b"\x00", b"\x00\x05abc"], ids=["cut-in-prefix", "cut-in-entry"])
def test_truncated_entry_bundle_is_refused(data: bytes) -> None:
    with pytest.raises(VerificationError):
        parse_entry_bundle(data)


def test_entry_over_the_size_limit_cannot_be_bundled() -> None:
    with pytest.raises(ValueError):
        tlog.entry_bundle([b"x" * (MAX_ENTRY_SIZE + 1)])


def test_hash_tile_holds_the_stored_hashes_of_its_level(memory_log) -> None:
    level_one_tile = Tile(1, 0, 1)
    data = tlog.tile_bytes(level_one_tile, memory_log.read_hashes)
    assert data == tlog.tree_hash(256, memory_log.read_hashes)


def test_level_zero_tile_holds_the_leaf_hashes(memory_log) -> None:
    data = tlog.tile_bytes(Tile(0, 1, 44), memory_log.read_hashes)
    assert data == b"".join(memory_log.leaf_hashes[256:300])
