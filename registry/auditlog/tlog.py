"""Registry-side transparency log algorithms: stored-hash layout, proofs from stored hashes, tiles, signing, formats.

Pure functions, no Flask and no database: storage is reached through a `read_hashes` callback
that takes a list of stored-hash indexes and returns the hashes at those indexes, in that order
(for example one SQL `SELECT ... WHERE idx IN (...)`). The stored-hash layout is that of Go's
golang.org/x/mod/sumdb/tlog: record n's leaf hash is stored at stored_hash_index(0, n), followed
by the hashes of the subtrees record n completes, so the table grows by about two rows per entry
and its key has no gaps. Every proof reads O(log n) stored hashes in a single callback.

Verification primitives (hashing, proof checking, note and checkpoint parsing) live in
registry.auditlog.verifier, which auditors run standalone.
"""

from __future__ import annotations

import base64
import functools
import re
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.auditlog.verifier import (
    ED25519_SIGNATURE_TYPE,
    EMPTY_ROOT,
    HASH_SIZE,
    MAX_ENTRY_SIZE,
    RECEIPT_HEADER,
    SIGNATURE_PREFIX,
    TILE_HEIGHT,
    TILE_WIDTH,
    Tile,
    entry_bundles_for_tree_size,
    format_verifier_key,
    hash_children,
    is_valid_key_name,
    key_id,
    tile_path,
    tiles_for_tree_size,
)

ReadHashes = Callable[[list[int]], list[bytes]]

__all__ = [
    "ReadHashes",
    "Signer",
    "Tile",
    "entry_bundle",
    "entry_bundles_for_tree_size",
    "format_checkpoint",
    "format_entry_line",
    "format_manifest",
    "format_policy",
    "format_receipt",
    "format_signer_key",
    "generate_signer_key",
    "parse_signer_key",
    "prove_record",
    "prove_tree",
    "sign_entry",
    "sign_note",
    "split_stored_hash_index",
    "stored_hash_count",
    "stored_hash_index",
    "stored_hashes_for_record",
    "tile_bytes",
    "tile_hash_indexes",
    "tile_path",
    "tiles_for_tree_size",
    "tree_hash",
]


# Stored-hash layout


def stored_hash_index(level: int, n: int) -> int:
    """Return where the hash of the n-th complete subtree of 2**level leaves is stored."""
    # The level-L node n is stored right after its rightmost leaf, record m = (n + 1) * 2**L - 1,
    # whose leaf hash sits at 2m - popcount(m): each earlier record r stored 1 + trailing_ones(r).
    last_record = ((n + 1) << level) - 1
    return 2 * last_record - last_record.bit_count() + level


def split_stored_hash_index(index: int) -> tuple[int, int]:
    """Return the (level, n) whose hash is stored at index: the inverse of stored_hash_index."""
    # stored_hash_index(0, r) <= 2r, so the record that stored this hash is at least index // 2.
    record = index // 2
    while stored_hash_index(0, record + 1) <= index:
        record += 1
    level = index - stored_hash_index(0, record)
    return level, record >> level


def stored_hash_count(n: int) -> int:
    """Return how many hashes are stored for a log of n records."""
    if n == 0:
        return 0
    last = n - 1
    return stored_hash_index(0, last) + 1 + _trailing_ones(last)


def stored_hashes_for_record(n: int, leaf_hash: bytes, read_hashes: ReadHashes) -> list[bytes]:
    """Return the hashes to store after record n: its leaf hash, then the subtrees it completes."""
    completed = _trailing_ones(n)
    # Completing the level-i subtree pairs it with its left sibling, stored earlier.
    siblings = read_hashes([stored_hash_index(level, (n >> level) - 1) for level in range(completed)])
    _check_read(siblings, completed)
    hashes = [leaf_hash]
    for sibling in siblings:
        hashes.append(hash_children(sibling, hashes[-1]))
    return hashes


# Proofs from stored hashes


def tree_hash(size: int, read_hashes: ReadHashes) -> bytes:
    """Return the RFC 6962 root hash of the first size records, reading O(log n) stored hashes."""
    if size == 0:
        return EMPTY_ROOT
    (root,) = _read_plan([_subtree_indexes(0, size)], read_hashes)
    return root


def prove_record(tree_size: int, index: int, read_hashes: ReadHashes) -> list[bytes]:
    """Return the RFC 6962 inclusion proof of record index in the tree of tree_size records."""
    if not 0 <= index < tree_size:
        raise ValueError(f"record {index} is not in a tree of size {tree_size}")
    plan = []
    lo, hi = 0, tree_size
    while hi - lo > 1:
        k = _largest_power_of_two_below(hi - lo)
        if index < lo + k:
            plan.append(_subtree_indexes(lo + k, hi))
            hi = lo + k
        else:
            plan.append(_subtree_indexes(lo, lo + k))
            lo += k
    # The walk went from the root down; the proof lists the leaf's sibling first.
    return _read_plan(plan[::-1], read_hashes)


def prove_tree(new_size: int, old_size: int, read_hashes: ReadHashes) -> list[bytes]:
    """Return the RFC 6962 consistency proof from the tree of old_size records to new_size."""
    if not 0 < old_size <= new_size:
        raise ValueError(f"no consistency proof exists from size {old_size} to size {new_size}")
    # RFC 6962 §2.1.2 SUBPROOF, unrolled: walk down until the old tree is a whole subtree.
    appended = []
    lo, hi, old_in_range, whole_old_tree = 0, new_size, old_size, True
    while old_in_range != hi - lo:
        k = _largest_power_of_two_below(hi - lo)
        if old_in_range <= k:
            appended.append(_subtree_indexes(lo + k, hi))
            hi = lo + k
        else:
            appended.append(_subtree_indexes(lo, lo + k))
            lo, old_in_range, whole_old_tree = lo + k, old_in_range - k, False
    # The verifier knows the old root, so it is sent only when it is not this subtree itself.
    head = [] if whole_old_tree else [_subtree_indexes(lo, hi)]
    return _read_plan(head + appended[::-1], read_hashes)


def _subtree_indexes(lo: int, hi: int) -> list[int]:
    """Return the stored indexes of the complete subtrees that make up records [lo, hi)."""
    indexes = []
    while lo < hi:
        level = (hi - lo).bit_length() - 1
        if lo:
            level = min(level, _trailing_zeros(lo))
        indexes.append(stored_hash_index(level, lo >> level))
        lo += 1 << level
    return indexes


def _read_plan(plan: Sequence[Sequence[int]], read_hashes: ReadHashes) -> list[bytes]:
    """Read every index of the plan in one call; fold each group into one RFC 6962 subtree hash."""
    indexes = [index for group in plan for index in group]
    hashes = read_hashes(indexes) if indexes else []
    _check_read(hashes, len(indexes))
    by_index = dict(zip(indexes, hashes))
    return [_fold([by_index[index] for index in group]) for group in plan]


def _fold(subtree_hashes: Sequence[bytes]) -> bytes:
    # RFC 6962 splits a range at its largest power of two, so the pieces nest right to left.
    result = subtree_hashes[-1]
    for left in reversed(subtree_hashes[:-1]):
        result = hash_children(left, result)
    return result


def _check_read(hashes: Sequence[bytes], expected: int) -> None:
    if len(hashes) != expected or any(len(h) != HASH_SIZE for h in hashes):
        raise ValueError(f"read_hashes returned {len(hashes)} hashes for {expected} indexes, or a bad hash")


def _largest_power_of_two_below(n: int) -> int:
    return 1 << ((n - 1).bit_length() - 1)


def _trailing_zeros(n: int) -> int:
    return (n & -n).bit_length() - 1


def _trailing_ones(n: int) -> int:
    return _trailing_zeros(n + 1)


# Tiles


def tile_hash_indexes(tile: Tile) -> list[int]:
    """Return the stored-hash indexes whose hashes make up a hash tile, in order."""
    if tile.level is None:
        raise ValueError("an entry bundle holds entries, not stored hashes")
    level = tile.level * TILE_HEIGHT
    first = tile.n * TILE_WIDTH
    return [stored_hash_index(level, first + i) for i in range(tile.width)]


def tile_bytes(tile: Tile, read_hashes: ReadHashes) -> bytes:
    """Return the contents of a hash tile: its hashes, concatenated."""
    indexes = tile_hash_indexes(tile)
    hashes = read_hashes(indexes)
    _check_read(hashes, len(indexes))
    return b"".join(hashes)


def entry_bundle(entries: Iterable[bytes]) -> bytes:
    """Return an entry bundle: each entry prefixed by its length as a big-endian uint16."""
    parts = []
    for entry in entries:
        if len(entry) > MAX_ENTRY_SIZE:
            raise ValueError(f"an entry of {len(entry)} bytes is over the {MAX_ENTRY_SIZE}-byte limit")
        parts += [len(entry).to_bytes(2, "big"), entry]
    return b"".join(parts)


# Signing


@dataclass(frozen=True)
class Signer:
    """An Ed25519 signed-note signer: key name, key ID and private key."""

    name: str
    key_id: bytes
    private_key: Ed25519PrivateKey

    @functools.cached_property
    def public_key(self) -> bytes:
        """Return the raw 32-byte Ed25519 public key."""
        return _raw_public_key(self.private_key)

    @functools.cached_property
    def verifier_key(self) -> str:
        """Return the verifier key string that publishes this signer's public key."""
        return format_verifier_key(self.name, self.public_key)

    def sign(self, message: bytes) -> bytes:
        """Return the Ed25519 signature of message."""
        return self.private_key.sign(message)


def parse_signer_key(text: str) -> Signer:
    """Parse `PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 || seed)>`, checking the key ID."""
    parts = text.split("+", 4)
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"] or not is_valid_key_name(parts[2]):
        raise ValueError("malformed signer key")
    _, _, name, hex_id, encoded = parts
    key = base64.b64decode(encoded, validate=True)
    if len(key) != 33 or key[0] != ED25519_SIGNATURE_TYPE:
        raise ValueError("the signer key is not an Ed25519 key")
    private_key = Ed25519PrivateKey.from_private_bytes(key[1:])
    # The stated key ID must be the one derived from the public key, as for verifier keys.
    if len(hex_id) != 8 or key_id(name, _raw_public_key(private_key)).hex() != hex_id.lower():
        raise ValueError("the signer key's key ID does not match its public key")
    return Signer(name, bytes.fromhex(hex_id), private_key)


def format_signer_key(signer: Signer) -> str:
    """Return the signer key string of a signer; keep it secret."""
    seed = signer.private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    encoded = base64.b64encode(bytes([ED25519_SIGNATURE_TYPE]) + seed).decode()
    return f"PRIVATE+KEY+{signer.name}+{signer.key_id.hex()}+{encoded}"


def generate_signer_key(name: str) -> tuple[str, str]:
    """Generate a new Ed25519 key named name; return (signer key string, verifier key string)."""
    if not is_valid_key_name(name):
        raise ValueError(f"invalid key name {name!r}")
    private_key = Ed25519PrivateKey.generate()
    signer = Signer(name, key_id(name, _raw_public_key(private_key)), private_key)
    return format_signer_key(signer), signer.verifier_key


def _raw_public_key(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x09\x0b-\x1f]")


def sign_note(text: str, signer: Signer) -> str:
    """Return the C2SP signed note of text (which must end in a newline) signed by signer."""
    if not text.endswith("\n") or _CONTROL_CHARACTERS.search(text):
        raise ValueError("note text must end with a newline and hold no other control characters")
    signature = base64.b64encode(signer.key_id + signer.sign(text.encode())).decode()
    return f"{text}\n{SIGNATURE_PREFIX}{signer.name} {signature}\n"


def sign_entry(entry: bytes, signer: Signer) -> tuple[str, bytes]:
    """Sign an entry's exact bytes; return (the key ID as 8 hex digits, the Ed25519 signature)."""
    return signer.key_id.hex(), signer.sign(entry)


# Formats


def format_checkpoint(origin: str, size: int, root: bytes) -> str:
    """Return the text of a C2SP tlog-checkpoint: origin, tree size and base64 root hash lines."""
    if not origin or "\n" in origin or size < 0 or len(root) != HASH_SIZE:
        raise ValueError("a checkpoint needs a one-line origin, a size and a 32-byte root hash")
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"


def format_receipt(index: int, proof: Sequence[bytes], signed_checkpoint: str) -> str:
    """Return a C2SP tlog-proof receipt of record index under a signed checkpoint."""
    lines = [RECEIPT_HEADER, f"index {index}", *(base64.b64encode(h).decode() for h in proof)]
    return "\n".join(lines) + "\n\n" + signed_checkpoint


def format_policy(log_verifier_keys: Sequence[str]) -> str:
    """Return a C2SP tlog-policy naming the log keys and requiring no witness cosignatures yet."""
    return "".join(f"log {key}\n" for key in log_verifier_keys) + "quorum none\n"


def format_entry_line(index: int, entry: bytes, hex_key_id: str, signature: bytes) -> str:
    """Return one line of a bundle's entries.jsonl, newline included."""
    record = {
        "index": index,
        "entry": entry.decode("utf-8"),
        "key_id": hex_key_id,
        "signature": base64.b64encode(signature).decode(),
    }
    return json.dumps(record) + "\n"


def format_manifest(file_digests: Mapping[str, str]) -> str:
    """Return a bundle's manifest.json from relative paths and their SHA-256 hex digests."""
    return json.dumps({"files": dict(sorted(file_digests.items()))}, indent=2) + "\n"
