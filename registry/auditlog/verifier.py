"""Standalone offline verifier of the audit log: Merkle proofs, signed notes, checkpoints, tiles, receipts, bundles.

This one file needs only the Python standard library and `cryptography`, so that an auditor
can run it without the registry installed:

    python verify.py BUNDLE_DIR [--key VERIFIER_KEY ...] [--policy POLICY_FILE]
                     [--old-checkpoint FILE] [--no-signatures] [--jobs N]
    python verify.py RECORD.pdf [--key VERIFIER_KEY ...]

It exits with status 0 only if everything in the bundle holds, and otherwise prints the first
thing that failed (naming the entry, tile or file) and exits with status 1.

The registry imports it too, as the single source of the verification primitives:

- RFC 6962 §2.1 hashing; RFC 9162 §2.1.3.2 inclusion and §2.1.4.2 consistency verification;
- C2SP signed-note (c2sp.org/signed-note) with Ed25519 keys and verifier key strings;
- C2SP tlog-checkpoint, tlog-tiles paths and entry bundles, tlog-proof receipts, tlog-policy.

Bundle format (written by the registry's exporter)::

    <dir>/checkpoint     the signed checkpoint note; its origin is the log key's name
    <dir>/keys           verifier key strings, one per line: log keys (name == origin) and
                         entry keys (name == origin + "/entries"); the current log key first
    <dir>/policy         the log's C2SP tlog-policy: "log <vkey>" lines, its witnesses, groups
                         and quorum ("quorum none" when it has no witnesses); the checkpoint
                         carries the witnesses' cosignature lines (c2sp.org/tlog-cosignature)
    <dir>/entries.jsonl  one line per entry, in index order:
                         {"index": N, "entry": "<the entry's exact JSON text>",
                          "key_id": "<8 hex digits>", "signature": "<base64 Ed25519 signature>"}
                         The entry bytes are json.loads(line)["entry"].encode("utf-8"); the entry
                         is RFC 8785 canonical JSON whose "index" field is N. The signature is
                         Ed25519 over the entry bytes by the entry key with that key id.
    <dir>/tile/...       C2SP tlog-tiles hash tiles tile/<L>/<N>[.p/<W>] and entry bundles
                         tile/entries/<N>[.p/<W>] for the checkpoint's tree size
    <dir>/manifest.json  {"files": {"<relative path>": "<sha256 hex>", ...}} for every other file
    <dir>/README.md      how to verify
    <dir>/verify.py      a copy of this file

The verifier checks every file against the manifest; the checkpoint's signature by a trusted
log key; every entry's record, size, signature and index; that the entries hash to the
checkpoint's root at its size; every tile against the recomputed tree; and, given a checkpoint
kept from earlier, that the bundle's log extends it. Keys come from --key if given, otherwise
from the bundle's own keys file (which only proves the bundle is self-consistent: pin the keys).

A PDF record of an agreement version (written by the registry's records feature) carries four
attachments: the version's canonical JSON, the audit entry that recorded its submission, that
entry's C2SP tlog-proof receipt, and the log's verifier keys. Given the PDF, the verifier checks
that the content's SHA-256 is the hash the entry recorded for that agreement and version, that the
receipt proves the entry is in the log, and that the receipt's checkpoint is signed by a log key.
It reads the attachments with a small parser of its own (PDF streams, FlateDecode), so it needs
no PDF library. It checks the attachments, not the printed pages, which are a rendering of them.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import concurrent.futures
import functools
import hashlib
import itertools
import json
import os
import re
import sys
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
# The design keeps entries "under 65,535 bytes", one below what a uint16 length prefix can hold.
MAX_ENTRY_SIZE = 65_534
ED25519_SIGNATURE_TYPE = 0x01
ED25519_PUBLIC_KEY_SIZE = 32
# signed-note: verifiers must accept at least 16 signatures; Go's note package stops at 100.
MAX_NOTE_SIGNATURES = 100
SIGNATURE_PREFIX = "\u2014 "
RECEIPT_HEADER = "c2sp.org/tlog-proof@v1"
ENTRY_KEY_SUFFIX = "/entries"
MANIFEST_FILE = "manifest.json"
ENTRIES_FILE = "entries.jsonl"
CHUNK_LINES = 4096
TILE_TASK_SIZE = 64

_DECIMAL = re.compile(r"0|[1-9][0-9]*")
_KEY_ID_HEX = re.compile(r"[0-9a-fA-F]{8}")
_TILE_PATH = re.compile(
    r"tile/(?P<level>entries|0|[1-9][0-9]?)/(?P<n>(?:x[0-9]{3}/)*[0-9]{3})(?:\.p/(?P<width>[1-9][0-9]{0,2}))?"
)


class VerificationError(Exception):
    """A proof, signature, note or bundle that does not verify; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# RFC 6962 hashing


def hash_leaf(data: bytes) -> bytes:
    """Return the RFC 6962 leaf hash SHA-256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def hash_children(left: bytes, right: bytes) -> bytes:
    """Return the RFC 6962 interior node hash SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def tree_levels(leaf_hashes: Sequence[bytes]) -> Iterator[list[bytes]]:
    """Yield the tree bottom-up: at level k, the first len >> k hashes are complete 2**k-leaf subtrees."""
    level = list(leaf_hashes)
    yield level
    sha256 = hashlib.sha256
    while len(level) > 1:
        paired = [sha256(b"\x01" + left + right).digest() for left, right in zip(level[0::2], level[1::2])]
        # Promoting an unpaired last node unchanged builds exactly RFC 6962's left-heavy tree.
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
        yield level


def root_from_leaf_hashes(leaf_hashes: Sequence[bytes]) -> bytes:
    """Return the RFC 6962 Merkle tree hash of the given leaf hashes."""
    if not leaf_hashes:
        return EMPTY_ROOT
    *_, top = tree_levels(leaf_hashes)
    return top[0]


# RFC 9162 proof verification


def verify_inclusion(leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes], root: bytes) -> None:
    """Check an inclusion proof as in RFC 9162 §2.1.3.2, raising VerificationError if it fails."""
    _require_hash(leaf_hash, "the leaf hash")
    for proof_hash in proof:
        _require_hash(proof_hash, "a proof hash")
    if not 0 <= index < tree_size:
        raise VerificationError(f"leaf index {index} is not in a tree of size {tree_size}")
    fn, sn, r = index, tree_size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            raise VerificationError("the inclusion proof is longer than the path to the root")
        if fn & 1 or fn == sn:
            r = hash_children(p, r)
            # Skip the levels where this node is the last one, so has no sibling to its right.
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = hash_children(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise VerificationError("the inclusion proof is shorter than the path to the root")
    if r != root:
        raise VerificationError("the inclusion proof leads to a different root hash")


def verify_consistency(size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes) -> None:
    """Check a consistency proof as in RFC 9162 §2.1.4.2, raising VerificationError if it fails."""
    for proof_hash in proof:
        _require_hash(proof_hash, "a proof hash")
    if size1 > size2:
        raise VerificationError(f"the old tree size {size1} is larger than the new tree size {size2}")
    if size1 == 0:
        # RFC 9162 defines consistency proofs only for 0 < first: the empty tree proves nothing.
        raise VerificationError("a consistency proof from the empty tree is meaningless")
    if size1 == size2:
        if proof:
            raise VerificationError("trees of equal size need an empty consistency proof")
        if root1 != root2:
            raise VerificationError("trees of equal size have different root hashes")
        return
    if not proof:
        raise VerificationError("the consistency proof is empty")
    path = [root1, *proof] if size1 & (size1 - 1) == 0 else list(proof)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise VerificationError("the consistency proof is longer than the path to the root")
        if fn & 1 or fn == sn:
            fr, sr = hash_children(c, fr), hash_children(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = hash_children(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise VerificationError("the consistency proof is shorter than the path to the root")
    if fr != root1:
        raise VerificationError("the consistency proof does not lead to the old root hash")
    if sr != root2:
        raise VerificationError("the consistency proof does not lead to the new root hash")


def _require_hash(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise VerificationError(f"{what} is {len(value)} bytes, not {HASH_SIZE}")


# C2SP signed notes and verifier keys


@dataclass(frozen=True)
class _Ed25519Key:
    """What a C2SP verifier key string holds: `name+<hex key id>+<base64(type byte || public key)>`."""

    name: str
    key_id: bytes
    public_key: bytes

    def __str__(self) -> str:
        return f"{self.name}+{self.key_id.hex()}"


class VerifierKey(_Ed25519Key):
    """An Ed25519 signed-note verifier key: `name+<hex key id>+<base64(0x01 || public key)>`."""

    def verifies(self, message: bytes, signature: bytes) -> bool:
        """Return whether signature is this key's Ed25519 signature of message."""
        try:
            _ed25519_public_key(self.public_key).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class NoteSignature:
    """One signature line of a signed note, not yet verified."""

    name: str
    key_id: bytes
    signature: bytes


@dataclass(frozen=True)
class Note:
    """A signed note split into its text (ending in a newline) and its signature lines."""

    text: str
    signatures: tuple[NoteSignature, ...]


@functools.lru_cache(maxsize=64)
def _ed25519_public_key(public_key: bytes) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(public_key)


def key_id(name: str, public_key: bytes) -> bytes:
    """Return the signed-note key ID of an Ed25519 key: SHA-256(name || "\\n" || 0x01 || key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([ED25519_SIGNATURE_TYPE]) + public_key).digest()[:4]


def is_valid_key_name(name: str) -> bool:
    """Return whether name is a valid signed-note key name: non-empty, no spaces, no plus."""
    return bool(name) and "+" not in name and not any(char.isspace() for char in name)


def format_verifier_key(name: str, public_key: bytes) -> str:
    """Return the verifier key string of an Ed25519 public key under a key name."""
    if not is_valid_key_name(name):
        raise ValueError(f"invalid key name {name!r}")
    encoded = base64.b64encode(bytes([ED25519_SIGNATURE_TYPE]) + public_key).decode()
    return f"{name}+{key_id(name, public_key).hex()}+{encoded}"


def parse_verifier_key(text: str) -> VerifierKey:
    """Parse a verifier key string, checking its key ID against its public key."""
    return _parse_key(text, VerifierKey, called="verifier key", type_byte=ED25519_SIGNATURE_TYPE, type_name="an Ed25519 key",
                      key_id_of=key_id)


def _parse_key(text: str, kind: type[_Ed25519Key], *, called: str, type_byte: int, type_name: str,
               key_id_of: Callable[[str, bytes], bytes]) -> _Ed25519Key:
    # Only the first two pluses separate fields: base64 may itself contain "+".
    name, _, rest = text.partition("+")
    hex_id, _, encoded = rest.partition("+")
    if not is_valid_key_name(name) or not _KEY_ID_HEX.fullmatch(hex_id):
        raise VerificationError(f"malformed {called} {text!r}")
    key = _decode_base64(encoded, f"{called} {text!r}")
    if len(key) != 1 + ED25519_PUBLIC_KEY_SIZE or key[0] != type_byte:
        raise VerificationError(f"{called} {name}+{hex_id} is not {type_name}")
    public_key = key[1:]
    if key_id_of(name, public_key) != bytes.fromhex(hex_id):
        raise VerificationError(f"{called} {name}+{hex_id} has the wrong key ID for its public key")
    return kind(name, bytes.fromhex(hex_id), public_key)


def parse_verifier_keys(text: str) -> list[VerifierKey]:
    """Parse verifier key strings, one per line, skipping blank lines."""
    return [parse_verifier_key(line.strip()) for line in text.splitlines() if line.strip()]


def parse_note(note_text: str) -> Note:
    """Split a signed note into text and signature lines, refusing malformed notes."""
    if any(ord(char) < 0x20 and char != "\n" for char in note_text):
        raise VerificationError("the note contains a control character")
    # The text may contain blank lines: the last blank line separates it from the signatures.
    split = note_text.rfind("\n\n")
    if split < 0:
        raise VerificationError("the note has no blank line before its signatures")
    text, signature_block = note_text[: split + 1], note_text[split + 2 :]
    if not signature_block.endswith("\n"):
        raise VerificationError("the note's signatures do not end with a newline")
    lines = signature_block[:-1].split("\n")
    if len(lines) > MAX_NOTE_SIGNATURES:
        raise VerificationError(f"the note has more than {MAX_NOTE_SIGNATURES} signatures")
    return Note(text, tuple(parse_signature_line(line) for line in lines))


def parse_signature_line(line: str) -> NoteSignature:
    if not line.startswith(SIGNATURE_PREFIX):
        raise VerificationError(f"malformed signature line {line!r}")
    name, _, encoded = line[len(SIGNATURE_PREFIX) :].partition(" ")
    if not is_valid_key_name(name):
        raise VerificationError(f"malformed signature line {line!r}")
    signature = _decode_base64(encoded, f"signature line {line!r}")
    if len(signature) < 5:
        raise VerificationError(f"signature line {line!r} is too short")
    return NoteSignature(name, signature[:4], signature[4:])


def verify_note(note_text: str, verifier_keys: Iterable[VerifierKey]) -> list[VerifierKey]:
    """Return the known keys whose signatures on the note verify; refuse it if none, or one fails."""
    note = parse_note(note_text)
    known = {(key.name, key.key_id): key for key in verifier_keys}
    message = note.text.encode()
    verified: list[VerifierKey] = []
    # Signatures by unknown keys are ignored, even if they share a name or an ID with a known key.
    for signature in note.signatures:
        key = known.get((signature.name, signature.key_id))
        if key is None or key in verified:
            continue
        if not key.verifies(message, signature.signature):
            raise VerificationError(f"the note's signature by {key} does not verify")
        verified.append(key)
    if not verified:
        seen = ", ".join(f"{s.name}+{s.key_id.hex()}" for s in note.signatures)
        raise VerificationError(f"the note is not signed by any trusted key (signed by {seen})")
    return verified


def open_note(note_text: str, verifier_keys: Iterable[VerifierKey]) -> str:
    """Return the note's text once a signature by a known key verifies."""
    verify_note(note_text, verifier_keys)
    return parse_note(note_text).text


# C2SP tlog-checkpoint


@dataclass(frozen=True)
class Checkpoint:
    """A tlog-checkpoint: origin, tree size, root hash and any extension lines."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()


def parse_checkpoint(text: str) -> Checkpoint:
    """Parse a checkpoint's note text (already verified): origin, size, base64 root, extensions."""
    if not text.endswith("\n"):
        raise VerificationError("the checkpoint text does not end with a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3 or not all(lines):
        raise VerificationError("a checkpoint needs at least three lines, none of them empty")
    origin, size, root, *extensions = lines
    if not _DECIMAL.fullmatch(size):
        raise VerificationError(f"the checkpoint's tree size {size!r} is not a decimal number")
    root_hash = _decode_base64(root, "the checkpoint's root hash")
    _require_hash(root_hash, "the checkpoint's root hash")
    return Checkpoint(origin, int(size), root_hash, tuple(extensions))


def open_checkpoint(note_text: str, verifier_keys: Iterable[VerifierKey]) -> Checkpoint:
    """Verify a signed checkpoint by a log key named as its origin and return it."""
    claimed = parse_checkpoint(parse_note(note_text).text)
    log_keys = [key for key in verifier_keys if key.name == claimed.origin]
    return parse_checkpoint(open_note(note_text, log_keys))


# C2SP tlog-tiles


@dataclass(frozen=True)
class Tile:
    """A tlog-tiles resource: a hash tile at a level, or an entry bundle when level is None."""

    level: int | None
    n: int
    width: int = TILE_WIDTH

    @property
    def is_partial(self) -> bool:
        """Return whether the tile holds fewer than 256 hashes or entries."""
        return self.width < TILE_WIDTH


def tile_path(tile: Tile) -> str:
    """Return the tile's path: tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>]."""
    digits = str(tile.n)
    digits = "0" * (-len(digits) % 3) + digits
    groups = [digits[i : i + 3] for i in range(0, len(digits), 3)]
    index = "/".join([*(f"x{group}" for group in groups[:-1]), groups[-1]])
    level = "entries" if tile.level is None else str(tile.level)
    suffix = f".p/{tile.width}" if tile.is_partial else ""
    return f"tile/{level}/{index}{suffix}"


def parse_tile_path(path: str) -> Tile:
    """Parse a tile or entry bundle path, refusing anything but its one canonical spelling."""
    match = _TILE_PATH.fullmatch(path)
    if match is None:
        raise VerificationError(f"{path} is not a tlog-tiles path")
    level = None if match["level"] == "entries" else int(match["level"])
    width = int(match["width"]) if match["width"] else TILE_WIDTH
    tile = Tile(level, int(match["n"].replace("x", "").replace("/", "")), width)
    if (level is not None and level > 63) or width > TILE_WIDTH or tile_path(tile) != path:
        raise VerificationError(f"{path} is not a canonical tlog-tiles path")
    return tile


def tiles_for_tree_size(size: int) -> list[Tile]:
    """Return the hash tiles, full and partial, that describe a tree of the given size."""
    tiles = []
    level = 0
    while size >> (TILE_HEIGHT * level):
        hashes = size >> (TILE_HEIGHT * level)
        tiles += [Tile(level, n) for n in range(hashes // TILE_WIDTH)]
        if hashes % TILE_WIDTH:
            tiles.append(Tile(level, hashes // TILE_WIDTH, hashes % TILE_WIDTH))
        level += 1
    return tiles


def entry_bundles_for_tree_size(size: int) -> list[Tile]:
    """Return the entry bundles, full and partial, that hold a tree of the given size."""
    return [Tile(None, tile.n, tile.width) for tile in tiles_for_tree_size(size) if tile.level == 0]


def parse_entry_bundle(data: bytes) -> list[bytes]:
    """Split an entry bundle into its big-endian uint16 length-prefixed entries."""
    entries = []
    offset = 0
    while offset < len(data):
        if offset + 2 > len(data):
            raise VerificationError("the entry bundle ends inside a length prefix")
        length = int.from_bytes(data[offset : offset + 2], "big")
        offset += 2
        if offset + length > len(data):
            raise VerificationError("the entry bundle ends inside an entry")
        entries.append(data[offset : offset + length])
        offset += length
    return entries


# C2SP tlog-proof receipts


@dataclass(frozen=True)
class Receipt:
    """A tlog-proof: entry index, inclusion proof, signed checkpoint and optional extra data."""

    index: int
    proof: tuple[bytes, ...]
    checkpoint: str
    extra: bytes | None = None


def parse_receipt(text: str) -> Receipt:
    """Parse a c2sp.org/tlog-proof@v1 receipt; its checkpoint stays an unverified signed note."""
    header, _, rest = text.partition("\n")
    if header != RECEIPT_HEADER:
        raise VerificationError(f"a receipt must start with {RECEIPT_HEADER}")
    line, _, rest = rest.partition("\n")
    extra = None
    if line.startswith("extra "):
        extra = _decode_base64(line[len("extra ") :], "the receipt's extra data")
        line, _, rest = rest.partition("\n")
    index = line[len("index ") :]
    if not line.startswith("index ") or not _DECIMAL.fullmatch(index):
        raise VerificationError("a receipt needs an 'index <n>' line")
    proof = []
    line, separator, rest = rest.partition("\n")
    while line:
        proof.append(_decode_base64(line, "a receipt proof hash"))
        line, separator, rest = rest.partition("\n")
    if not separator:
        raise VerificationError("a receipt needs an empty line before its checkpoint")
    return Receipt(int(index), tuple(proof), rest, extra)


def verify_receipt(receipt_text: str, entry: bytes, verifier_keys: Iterable[VerifierKey]) -> Checkpoint:
    """Check that a receipt proves the entry is in a checkpoint signed by a log key; return it."""
    receipt = parse_receipt(receipt_text)
    checkpoint = open_checkpoint(receipt.checkpoint, verifier_keys)
    verify_inclusion(hash_leaf(entry), receipt.index, checkpoint.size, receipt.proof, checkpoint.root_hash)
    return checkpoint


# C2SP tlog-cosignature: a witness's Ed25519 cosignature (type 0x04)


COSIGNATURE_TYPE = 0x04
COSIGNATURE_HEADER = "cosignature/v1\n"
COSIGNATURE_SIZE = 8 + 64  # a big-endian u64 timestamp, then the Ed25519 signature
MAX_COSIGNATURE_TIME = 2**63 - 1


class WitnessKey(_Ed25519Key):
    """A witness's verifier key: `name+<hex key id>+<base64(0x04 || public key)>`."""

    @property
    def vkey(self) -> str:
        encoded = base64.b64encode(bytes([COSIGNATURE_TYPE]) + self.public_key).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    def cosigned_at(self, note_text: str, signature: NoteSignature) -> int | None:
        """Return the time of the signature if it is this witness's valid cosignature of the note's
        text; None if it is another key's; raise if it names this key but does not verify."""
        if (signature.name, signature.key_id) != (self.name, self.key_id) or len(signature.signature) != COSIGNATURE_SIZE:
            return None
        timestamp = int.from_bytes(signature.signature[:8], "big")
        if not 0 < timestamp <= MAX_COSIGNATURE_TIME:
            raise VerificationError(f"the cosignature by {self} has no valid time")
        try:
            _ed25519_public_key(self.public_key).verify(signature.signature[8:], cosignature_message(note_text, timestamp))
        except InvalidSignature:
            raise VerificationError(f"the cosignature by {self} does not verify") from None
        return timestamp


def witness_key_id(name: str, public_key: bytes) -> bytes:
    """Return a cosigner's key ID: SHA-256(name || "\\n" || 0x04 || key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([COSIGNATURE_TYPE]) + public_key).digest()[:4]


def cosignature_message(note_text: str, timestamp: int) -> bytes:
    """Return what a cosignature/v1 signs: the header line, the time line, then the checkpoint's text."""
    if not 0 < timestamp <= MAX_COSIGNATURE_TIME:
        raise ValueError("a cosignature's time must be from 1 to 2^63 - 1")
    return f"{COSIGNATURE_HEADER}time {timestamp}\n{note_text}".encode()


def parse_witness_key(text: str) -> WitnessKey:
    """Parse a witness's verifier key, checking its key ID against its public key."""
    return _parse_key(text.strip(), WitnessKey, called="witness key", type_byte=COSIGNATURE_TYPE,
                      type_name="an Ed25519 cosignature/v1 witness key", key_id_of=witness_key_id)


def cosignatures(note: str, witnesses: Mapping[str, WitnessKey]) -> dict[str, int]:
    """Return {policy name: time} of the witnesses whose valid cosignatures the signed note carries."""
    parsed = parse_note(note)
    found: dict[str, int] = {}
    for signature in parsed.signatures:
        for policy_name, key in witnesses.items():
            timestamp = key.cosigned_at(parsed.text, signature)
            if timestamp is not None:
                found.setdefault(policy_name, timestamp)
    return found


# C2SP tlog-policy: the logs, the witnesses, groups and the quorum


@dataclass(frozen=True)
class Policy:
    """A tlog-policy: log keys, named witnesses (with URLs if given), groups and the quorum."""

    logs: tuple[VerifierKey, ...]
    witnesses: Mapping[str, WitnessKey]
    quorum: str
    groups: Mapping[str, tuple[int, tuple[str, ...]]] = field(default_factory=dict)
    urls: Mapping[str, str] = field(default_factory=dict)

    def witnessed_by(self, name: str, cosigned: set[str]) -> bool:
        """Return whether the witness or group `name` has witnessed, given who cosigned."""
        if name == "none":
            return True
        if name in self.witnesses:
            return name in cosigned
        threshold, members = self.groups[name]
        return sum(self.witnessed_by(member, cosigned) for member in members) >= threshold

    def members(self, name: str) -> list[str]:
        """Return the witnesses under a witness or group name."""
        if name in self.witnesses:
            return [name]
        if name == "none":
            return []
        return [w for member in self.groups[name][1] for w in self.members(member)]


def parse_policy(text: str) -> Policy:
    """Parse a tlog-policy file, refusing what the specification does not allow."""
    logs: list[VerifierKey] = []
    witnesses: dict[str, WitnessKey] = {}
    urls: dict[str, str] = {}
    groups: dict[str, tuple[int, tuple[str, ...]]] = {}
    quorum = None
    for number, line in enumerate(text.split("\n"), 1):
        words = line.replace("\t", " ").split(" ")
        words = [word for word in words if word]
        if not words or words[0].startswith("#"):
            continue
        keyword, arguments = words[0], words[1:]
        defined = set(witnesses) | set(groups)
        if keyword == "log" and len(arguments) in (1, 2):
            key = parse_verifier_key(arguments[0])
            if any(log.public_key == key.public_key for log in logs):
                raise VerificationError(f"policy line {number}: the log key is listed twice")
            logs.append(key)
        elif keyword == "witness" and len(arguments) in (2, 3):
            name, key = arguments[0], parse_witness_key(arguments[1])
            if name in defined or name == "none":
                raise VerificationError(f"policy line {number}: the name {name} is already used")
            if any(other.public_key == key.public_key for other in witnesses.values()):
                raise VerificationError(f"policy line {number}: the witness key is listed twice")
            witnesses[name] = key
            if len(arguments) == 3:
                urls[name] = arguments[2]
        elif keyword == "group" and len(arguments) >= 3:
            name, threshold, members = arguments[0], arguments[1], tuple(arguments[2:])
            if name in defined or name == "none":
                raise VerificationError(f"policy line {number}: the name {name} is already used")
            unknown = [member for member in members if member not in defined]
            if unknown:
                raise VerificationError(f"policy line {number}: {', '.join(unknown)} must be defined on an earlier line")
            k = {"all": len(members), "any": 1}.get(threshold)
            if k is None and _DECIMAL.fullmatch(threshold):
                k = int(threshold)
            if k is None or not 1 <= k <= len(members):
                raise VerificationError(f"policy line {number}: the threshold must be all, any or 1 to {len(members)}")
            groups[name] = (k, members)
        elif keyword == "quorum" and len(arguments) == 1:
            if quorum is not None:
                raise VerificationError(f"policy line {number}: a policy has exactly one quorum line")
            if arguments[0] != "none" and arguments[0] not in defined:
                raise VerificationError(f"policy line {number}: the quorum {arguments[0]} is not defined above it")
            quorum = arguments[0]
        else:
            raise VerificationError(f"policy line {number} is not a log, witness, group or quorum line")
    if quorum is None:
        raise VerificationError("the policy has no quorum line")
    return Policy(tuple(logs), witnesses, quorum, groups, urls)


def check_quorum(note: str, policy: Policy) -> dict[str, int]:
    """Return who cosigned the checkpoint; raise, naming the missing witnesses, if the quorum is not met."""
    cosigned = cosignatures(note, policy.witnesses)
    if not policy.witnessed_by(policy.quorum, set(cosigned)):
        missing = [name for name in policy.members(policy.quorum) if name not in cosigned]
        raise VerificationError(
            f"the checkpoint is not cosigned as the policy requires (quorum {policy.quorum}): "
            f"no cosignature from {', '.join(missing)}"
        )
    return cosigned


# Entry signatures


def verify_entry_signature(entry: bytes, signature: bytes, key: VerifierKey) -> None:
    """Check an entry's Ed25519 signature over its exact bytes, raising VerificationError if bad."""
    if not key.verifies(entry, signature):
        raise VerificationError(f"signature does not verify with key {key}")


# Bundle verification


@dataclass
class Report:
    """What verifying a bundle found: problems (first is the headline), warnings and figures."""

    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    origin: str | None = None
    tree_size: int | None = None
    root_hash: bytes | None = None
    entries_checked: int = 0
    signatures_checked: bool = True
    log_keys: list[str] = field(default_factory=list)
    entry_keys: list[str] = field(default_factory=list)
    old_size: int | None = None
    witnesses: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Return whether everything verified."""
        return not self.problems

    def summary(self) -> str:
        """Return a short human summary of the verification."""
        verdict = "OK: the audit log bundle verifies." if self.ok else "FAILED: the audit log bundle does not verify."
        signatures = "with signatures" if self.signatures_checked else "WITHOUT entry signatures"
        lines = [verdict, *(f"  {problem}" for problem in self.problems)]
        lines += [
            f"  checkpoint origin: {self.origin or '-'}",
            f"  tree size:         {'-' if self.tree_size is None else self.tree_size}",
            f"  root hash:         {base64.b64encode(self.root_hash).decode() if self.root_hash else '-'}",
            f"  entries checked:   {self.entries_checked} ({signatures})",
            f"  log keys used:     {', '.join(self.log_keys) or '-'}",
            f"  entry keys used:   {', '.join(self.entry_keys) or '-'}",
        ]
        if self.old_size is not None:
            lines.append(f"  extends the checkpoint you kept, of size {self.old_size}")
        if self.witnesses:
            lines.append(f"  cosigned by:       {', '.join(self.witnesses)}")
        lines.append(f"  time taken:        {self.seconds:.1f} s")
        lines += [f"WARNING: {warning}" for warning in self.warnings]
        return "\n".join(lines)


@dataclass
class _EntriesResult:
    count: int = 0
    leaf_hashes: bytearray = field(default_factory=bytearray)
    first_failure: str | None = None
    unreadable: bool = False
    key_ids_used: set[str] = field(default_factory=set)
    digest: str = ""


@dataclass(frozen=True)
class _EntryRecord:
    line_index: int
    entry: bytes
    key_id: str
    signature: bytes


@dataclass(frozen=True)
class _ChunkResult:
    leaf_hashes: bytes
    first_failure: str | None
    unreadable: bool
    key_ids_used: frozenset[str]


def verify_bundle(
    path: str | os.PathLike[str],
    trusted_keys: Sequence[VerifierKey] | None = None,
    old_checkpoint: str | None = None,
    check_signatures: bool = True,
    jobs: int | None = os.cpu_count(),
    policy: Policy | None = None,
) -> Report:
    """Verify an exported audit log bundle directory and report everything that fails.

    With a policy (the auditor's own copy of the log's tlog-policy), its log keys are trusted
    and the checkpoint must carry the cosignatures its quorum asks for.
    """
    started = time.perf_counter()
    bundle = Path(path)
    report = Report(signatures_checked=check_signatures)
    if policy is not None and trusted_keys is None:
        trusted_keys = list(policy.logs)
    keys = _trusted_keys(bundle, trusted_keys, report)
    checkpoint = _check_checkpoint(bundle, keys, report)
    _check_cosignatures(bundle, policy, report)
    entry_keys = _entry_keys(keys, checkpoint)
    if not entry_keys and trusted_keys is not None and checkpoint is not None and not report.problems:
        entry_keys = _entry_keys_from_bundle(bundle, checkpoint, report)
    workers = max(jobs or 1, 1)
    with _executor(workers) as executor:
        entries = _check_entries(bundle, entry_keys, check_signatures, executor, workers)
        report.entries_checked = entries.count
        report.entry_keys = sorted(str(entry_keys[key]) for key in entries.key_ids_used)
        if entries.first_failure:
            report.problems.append(entries.first_failure)
        leaf_hashes = _tree_leaf_hashes(checkpoint, entries, report)
        expected_tiles = _check_tree(checkpoint, leaf_hashes, report)
        digests = _check_tiles(bundle, expected_tiles, executor, report)
    if entries.digest:
        digests[ENTRIES_FILE] = entries.digest
    if old_checkpoint is not None and checkpoint is not None:
        _check_old_checkpoint(old_checkpoint, checkpoint, keys, leaf_hashes, report)
    _check_manifest(bundle, digests, report)
    if policy is None:
        _check_policy(bundle, report)
    report.seconds = time.perf_counter() - started
    return report


def _trusted_keys(bundle: Path, trusted_keys: Sequence[VerifierKey] | None, report: Report) -> list[VerifierKey]:
    if trusted_keys is not None:
        return list(trusted_keys)
    report.warnings.append(
        "the keys were taken from the bundle itself, which proves only that it is self-consistent: "
        "pin the registry's published keys with --key"
    )
    try:
        return parse_verifier_keys(_read_text(bundle / "keys"))
    except (OSError, VerificationError) as error:
        report.problems.append(f"keys: {_describe(error)}")
        return []


def _check_checkpoint(bundle: Path, keys: Sequence[VerifierKey], report: Report) -> Checkpoint | None:
    try:
        note_text = _read_text(bundle / "checkpoint")
        claimed = parse_checkpoint(parse_note(note_text).text)
    except (OSError, VerificationError) as error:
        report.problems.append(f"checkpoint: {_describe(error)}")
        return None
    report.origin, report.tree_size, report.root_hash = claimed.origin, claimed.size, claimed.root_hash
    log_keys = [key for key in keys if key.name == claimed.origin]
    try:
        report.log_keys = [str(key) for key in verify_note(note_text, log_keys)]
    except VerificationError as error:
        report.problems.append(f"checkpoint: not signed by a trusted log key for {claimed.origin}: {error.reason}")
    return claimed


def _entry_keys_from_bundle(bundle: Path, checkpoint: Checkpoint, report: Report) -> dict[str, VerifierKey]:
    """Return the bundle's own entry keys, when only the log key was pinned.

    Every entry is a leaf of the tree whose root the pinned log key signed, so the entries
    are already bound to that signature; their own signatures are then checked with the
    keys the bundle lists, and the report says so.
    """
    try:
        listed = parse_verifier_keys(_read_text(bundle / "keys"))
    except (OSError, VerificationError) as error:
        report.problems.append(f"keys: {_describe(error)}")
        return {}
    report.warnings.append(
        "no entry key was pinned, so entry signatures were checked with the bundle's entry keys; the entries "
        "are bound to the pinned log key's checkpoint by the tree (pin the entry key too with a second --key)"
    )
    return _entry_keys(listed, checkpoint)


def _entry_keys(keys: Sequence[VerifierKey], checkpoint: Checkpoint | None) -> dict[str, VerifierKey]:
    # Without a readable checkpoint the origin is unknown, so any trusted entry key may have signed.
    def is_entry_key(key: VerifierKey) -> bool:
        if checkpoint is None:
            return key.name.endswith(ENTRY_KEY_SUFFIX)
        return key.name == checkpoint.origin + ENTRY_KEY_SUFFIX

    return {key.key_id.hex(): key for key in keys if is_entry_key(key)}


def _check_entries(
    bundle: Path,
    entry_keys: Mapping[str, VerifierKey],
    check_signatures: bool,
    executor: concurrent.futures.Executor,
    workers: int,
) -> _EntriesResult:
    result = _EntriesResult()
    digest = hashlib.sha256()
    try:
        with open(bundle / ENTRIES_FILE, "rb") as file:
            pending: deque[concurrent.futures.Future[_ChunkResult]] = deque()
            for start, lines in _chunks(file):
                digest.update(b"".join(lines))
                result.count += len(lines)
                pending.append(executor.submit(_check_entry_chunk, start, lines, entry_keys, check_signatures))
                # Bound the lines in flight, so memory stays flat however long the log is.
                if len(pending) > 4 * workers:
                    _absorb_chunk(result, pending.popleft().result())
            while pending:
                _absorb_chunk(result, pending.popleft().result())
    except OSError as error:
        result.first_failure = f"{ENTRIES_FILE}: {_describe(error)}"
        result.unreadable = True
        return result
    result.digest = digest.hexdigest()
    return result


def _chunks(file: Iterable[bytes]) -> Iterator[tuple[int, list[bytes]]]:
    lines_iter = iter(file)
    start = 0
    while lines := list(itertools.islice(lines_iter, CHUNK_LINES)):
        yield start, lines
        start += len(lines)


def _absorb_chunk(result: _EntriesResult, chunk: _ChunkResult) -> None:
    result.leaf_hashes += chunk.leaf_hashes
    result.unreadable |= chunk.unreadable
    result.key_ids_used |= chunk.key_ids_used
    if result.first_failure is None:
        result.first_failure = chunk.first_failure


def _check_entry_chunk(
    start: int, lines: list[bytes], entry_keys: Mapping[str, VerifierKey], check_signatures: bool
) -> _ChunkResult:
    leaf_hashes = bytearray()
    first_failure = None
    unreadable = False
    key_ids_used = set()
    for position, line in enumerate(lines, start):
        try:
            record = _parse_entry_line(position, line)
        except VerificationError as error:
            # Keep positions aligned; the tree cannot be recomputed, so the caller skips it.
            leaf_hashes += bytes(HASH_SIZE)
            unreadable = True
            first_failure = first_failure or error.reason
            continue
        leaf_hashes += hash_leaf(record.entry)
        try:
            _check_entry_size(position, record)
            if check_signatures:
                _check_entry_signature(position, record, entry_keys)
                key_ids_used.add(record.key_id)
            _check_entry_index(position, record)
        except VerificationError as error:
            first_failure = first_failure or error.reason
    return _ChunkResult(bytes(leaf_hashes), first_failure, unreadable, frozenset(key_ids_used))


def _parse_entry_line(position: int, line: bytes) -> _EntryRecord:
    try:
        record = json.loads(line)
        entry = record["entry"].encode("utf-8")
        line_index, hex_key_id, encoded_signature = record["index"], record["key_id"], record["signature"]
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise VerificationError(f"entry {position}: the line is not an entry record ({error})") from error
    if not isinstance(line_index, int) or not isinstance(hex_key_id, str) or not isinstance(encoded_signature, str):
        raise VerificationError(f"entry {position}: the line's index, key_id or signature has the wrong type")
    signature = _decode_base64(encoded_signature, f"entry {position}: the signature")
    return _EntryRecord(line_index, entry, hex_key_id, signature)


def _check_entry_size(position: int, record: _EntryRecord) -> None:
    if len(record.entry) > MAX_ENTRY_SIZE:
        raise VerificationError(f"entry {position}: {len(record.entry)} bytes, over the {MAX_ENTRY_SIZE}-byte limit")


def _check_entry_signature(position: int, record: _EntryRecord, entry_keys: Mapping[str, VerifierKey]) -> None:
    # Checked before the index: a tampered entry is named as tampered, not as moved.
    key = entry_keys.get(record.key_id)
    if key is None:
        raise VerificationError(f"entry {position}: signed by key id {record.key_id}, which is not a trusted entry key")
    try:
        verify_entry_signature(record.entry, record.signature, key)
    except VerificationError as error:
        raise VerificationError(f"entry {position}: {error.reason}") from error


def _check_entry_index(position: int, record: _EntryRecord) -> None:
    entry_index = _entry_index(position, record.entry)
    if entry_index != position:
        raise VerificationError(
            f"entry {position}: position {position} holds the entry with index {entry_index} "
            "(an entry is missing, inserted or out of order)"
        )
    if record.line_index != entry_index:
        raise VerificationError(
            f"entry {position}: the line says index {record.line_index} but the signed entry says {entry_index}"
        )


def _entry_index(position: int, entry: bytes) -> int:
    try:
        index = json.loads(entry)["index"]
    except (ValueError, TypeError, KeyError) as error:
        raise VerificationError(f"entry {position}: the entry is not a JSON object with an index") from error
    if not isinstance(index, int) or isinstance(index, bool):
        raise VerificationError(f"entry {position}: the entry's index is not an integer")
    return index


def _tree_leaf_hashes(checkpoint: Checkpoint | None, entries: _EntriesResult, report: Report) -> list[bytes] | None:
    if checkpoint is None or entries.unreadable:
        return None
    if entries.count != checkpoint.size:
        change = "truncated" if entries.count < checkpoint.size else "extended"
        report.problems.append(
            f"tree size: the checkpoint says {checkpoint.size} entries but {ENTRIES_FILE} has "
            f"{entries.count} (the log was {change})"
        )
        return None
    blob = bytes(entries.leaf_hashes)
    return [blob[i : i + HASH_SIZE] for i in range(0, len(blob), HASH_SIZE)]


def _check_tree(
    checkpoint: Checkpoint | None, leaf_hashes: list[bytes] | None, report: Report
) -> dict[Tile, bytes] | None:
    """Check the recomputed root against the checkpoint; return what each tile must hold."""
    if checkpoint is None or leaf_hashes is None:
        return None
    expected: dict[Tile, bytes] = {}
    hash_tiles = tiles_for_tree_size(checkpoint.size)
    root = EMPTY_ROOT
    for height, level in enumerate(tree_levels(leaf_hashes)):
        # A level-L tile holds hashes of complete 256**L-leaf subtrees: tree level 8 * L.
        if height % TILE_HEIGHT == 0:
            for tile in hash_tiles:
                if tile.level == height // TILE_HEIGHT:
                    expected[tile] = b"".join(level[tile.n * TILE_WIDTH : tile.n * TILE_WIDTH + tile.width])
        root = level[0] if level else EMPTY_ROOT
    for bundle_tile in entry_bundles_for_tree_size(checkpoint.size):
        start = bundle_tile.n * TILE_WIDTH
        expected[bundle_tile] = b"".join(leaf_hashes[start : start + bundle_tile.width])
    if root != checkpoint.root_hash:
        report.problems.append(
            f"root hash: the entries hash to {base64.b64encode(root).decode()}, "
            f"but the checkpoint says {base64.b64encode(checkpoint.root_hash).decode()}"
        )
    return expected


def _check_tiles(
    bundle: Path,
    expected: Mapping[Tile, bytes] | None,
    executor: concurrent.futures.Executor,
    report: Report,
) -> dict[str, str]:
    """Compare every tile in the bundle with the recomputed tree; return every tile file's SHA-256."""
    tasks: list[tuple[str, Tile | None, bytes | None]] = []
    for relative in sorted(_bundle_files(bundle, under="tile")):
        tile = _expected_tile(relative, expected, report)
        tasks.append((relative, tile, expected[tile] if expected and tile else None))
    if expected is not None:
        found = {tile for _, tile, _ in tasks}
        report.problems += [f"{tile_path(tile)}: missing from the bundle" for tile in expected if tile not in found]
    batches = [tasks[i : i + TILE_TASK_SIZE] for i in range(0, len(tasks), TILE_TASK_SIZE)]
    digests: dict[str, str] = {}
    problems: list[str] = []
    for results in executor.map(_check_tile_batch, [bundle] * len(batches), batches):
        for relative, digest, problem in results:
            digests[relative] = digest
            if problem:
                problems.append(problem)
    # Every tile after a bad entry differs too: the first one is the one worth reading.
    report.problems += problems[:1]
    return digests


def _expected_tile(relative: str, expected: Mapping[Tile, bytes] | None, report: Report) -> Tile | None:
    try:
        tile = parse_tile_path(relative)
    except VerificationError as error:
        report.problems.append(f"{relative}: {error.reason}")
        return None
    if expected is None:
        return None
    if tile not in expected:
        report.problems.append(f"{relative}: not a tile of the checkpoint's tree")
        return None
    return tile


def _check_tile_batch(
    bundle: Path, tasks: list[tuple[str, Tile | None, bytes | None]]
) -> list[tuple[str, str, str | None]]:
    results = []
    for relative, tile, expected in tasks:
        data = (bundle / relative).read_bytes()
        problem = _compare_tile(relative, tile, data, expected) if tile and expected is not None else None
        results.append((relative, hashlib.sha256(data).hexdigest(), problem))
    return results


def _compare_tile(relative: str, tile: Tile, data: bytes, expected: bytes) -> str | None:
    if tile.level is None:
        try:
            data = b"".join(hash_leaf(entry) for entry in parse_entry_bundle(data))
        except VerificationError as error:
            return f"{relative}: {error.reason}"
    if data == expected:
        return None
    if len(data) != len(expected):
        return f"{relative}: holds {len(data) / HASH_SIZE:g} items, not {tile.width}"
    first = next(i for i in range(0, len(data), HASH_SIZE) if data[i : i + HASH_SIZE] != expected[i : i + HASH_SIZE])
    item = "entry" if tile.level is None else "hash"
    return f"{relative}: {item} {first // HASH_SIZE} does not match the tree recomputed from {ENTRIES_FILE}"


def _check_old_checkpoint(
    note_text: str,
    checkpoint: Checkpoint,
    keys: Sequence[VerifierKey],
    leaf_hashes: list[bytes] | None,
    report: Report,
) -> None:
    try:
        old = open_checkpoint(note_text, keys)
    except VerificationError as error:
        report.problems.append(f"old checkpoint: {error.reason}")
        return
    if old.origin != checkpoint.origin:
        report.problems.append(f"old checkpoint: it is for the log {old.origin}, not {checkpoint.origin}")
    elif old.size > checkpoint.size:
        report.problems.append(
            f"rolled back: the bundle's checkpoint has {checkpoint.size} entries, "
            f"fewer than the {old.size} of the checkpoint you kept"
        )
    elif leaf_hashes is not None and root_from_leaf_hashes(leaf_hashes[: old.size]) != old.root_hash:
        report.problems.append(
            f"old checkpoint: the bundle's first {old.size} entries do not hash to the root of the "
            "checkpoint you kept (the log was rewritten)"
        )
    elif leaf_hashes is not None:
        report.old_size = old.size


def _check_manifest(bundle: Path, digests: Mapping[str, str], report: Report) -> None:
    try:
        listed = json.loads(_read_text(bundle / MANIFEST_FILE))["files"]
        if not isinstance(listed, dict):
            raise ValueError("'files' is not an object")
    except (OSError, ValueError, KeyError, TypeError) as error:
        report.problems.append(f"{MANIFEST_FILE}: {_describe(error)}")
        return
    present = set(_bundle_files(bundle)) - {MANIFEST_FILE}
    problems = []
    for relative in sorted(present | set(listed)):
        if relative not in listed:
            problems.append(f"{relative}: not listed in {MANIFEST_FILE}")
        elif relative not in present:
            problems.append(f"{relative}: listed in {MANIFEST_FILE} but missing")
        elif (digests.get(relative) or _file_digest(bundle / relative)) != listed[relative]:
            problems.append(f"{relative}: its SHA-256 does not match {MANIFEST_FILE}")
    report.problems += problems


def _check_policy(bundle: Path, report: Report) -> None:
    """Without a policy of the auditor's own, check the bundle's quorum, and say it should be pinned."""
    try:
        policy = parse_policy(_read_text(bundle / "policy"))
    except (OSError, VerificationError) as error:
        report.warnings.append(f"policy: {_describe(error)}")
        return
    if policy.quorum != "none":
        report.warnings.append(
            "the witness policy was taken from the bundle itself: pin the log's published policy with --policy"
        )
        _check_cosignatures(bundle, policy, report)


def _check_cosignatures(bundle: Path, policy: Policy | None, report: Report) -> None:
    if policy is None:
        return
    try:
        report.witnesses = sorted(check_quorum(_read_text(bundle / "checkpoint"), policy))
    except (OSError, VerificationError) as error:
        report.problems.append(f"checkpoint: {_describe(error)}")


def _bundle_files(bundle: Path, under: str | None = None) -> Iterator[str]:
    top = bundle / under if under else bundle
    for directory, _, names in os.walk(top):
        for name in names:
            yield (Path(directory) / name).relative_to(bundle).as_posix()


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise VerificationError(f"{path.name} is not valid UTF-8") from error


def _decode_base64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise VerificationError(f"{what} is not valid base64") from error


def _describe(error: Exception) -> str:
    if isinstance(error, VerificationError):
        return error.reason
    if isinstance(error, FileNotFoundError):
        return "missing from the bundle"
    return str(error)


class _InlineExecutor(concurrent.futures.Executor):
    """Runs tasks in the calling process, for --jobs 1 and for callers that cannot fork."""

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        future: concurrent.futures.Future = concurrent.futures.Future()
        future.set_result(fn(*args, **kwargs))
        return future


def _executor(workers: int) -> concurrent.futures.Executor:
    if workers == 1:
        return _InlineExecutor()
    return concurrent.futures.ProcessPoolExecutor(max_workers=workers)


# PDF records: an agreement version's content, its submission's audit entry, receipt and keys

RECORD_ACTION = "agreement.submit"
_EMBEDDED_FILE = re.compile(rb"/Type\s*/EmbeddedFile\b")
_STREAM_START = re.compile(rb">>\s*stream(?:\r\n|\n)")
_DIRECT_LENGTH = re.compile(rb"/Length\s+([0-9]+)(?!\s+[0-9]+\s+R)\b")
_FILTER = re.compile(rb"/Filter\s*(/[A-Za-z0-9]+|\[[^\]]*\])")
RECORD_PARTS = {
    "content": "the version's content (JSON)",
    "entry": "the audit entry of its submission",
    "receipt": "the entry's receipt",
    "keys": "the log's verifier keys",
}


def pdf_attachments(pdf: bytes) -> list[bytes]:
    """Return the decoded contents of every embedded file stream in a PDF, in file order.

    Embedded files are always top-level stream objects (a PDF cannot put a stream inside an
    object stream), so finding each /Type /EmbeddedFile dictionary and the stream after it is
    enough; a stream whose length is indirect, or with a filter other than FlateDecode, is refused.
    """
    if not pdf.startswith(b"%PDF-"):
        raise VerificationError("this is not a PDF file")
    found = []
    for match in _EMBEDDED_FILE.finditer(pdf):
        start = pdf.rfind(b" obj", 0, match.start())
        head = _STREAM_START.search(pdf, match.end())
        if start < 0 or head is None or b"endobj" in pdf[start : head.start()]:
            raise VerificationError("an embedded file in the PDF is not a stream this verifier can read")
        dictionary = pdf[start : head.start()]
        length = _DIRECT_LENGTH.search(dictionary)
        if length is None:
            raise VerificationError("an embedded file in the PDF has no direct /Length")
        data = pdf[head.end() : head.end() + int(length.group(1))]
        if not pdf[head.end() + len(data) :].lstrip(b"\r\n").startswith(b"endstream"):
            raise VerificationError("an embedded file in the PDF does not end where its /Length says")
        found.append(_decoded(data, _FILTER.search(dictionary)))
    return found


def _decoded(data: bytes, filter_match: re.Match | None) -> bytes:
    names = re.findall(rb"/([A-Za-z0-9]+)", filter_match.group(1)) if filter_match else []
    for name in names:
        if name != b"FlateDecode":
            raise VerificationError(f"an embedded file in the PDF uses the filter {name.decode()}, which this verifier cannot read")
        try:
            data = zlib.decompress(data)
        except zlib.error as error:
            raise VerificationError("an embedded file in the PDF is not valid FlateDecode data") from error
    return data


def _kind_of(attachment: bytes) -> str | None:
    """Tell the record's parts apart by what they hold, so that no file name has to be parsed."""
    if attachment.startswith(RECEIPT_HEADER.encode() + b"\n"):
        return "receipt"
    try:
        text = attachment.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except ValueError:
            return None
        if isinstance(value, dict) and "action" in value and "v" in value:
            return "entry"
        if isinstance(value, dict) and "reference" in value and "format" in value:
            return "content"
        return None
    try:
        return "keys" if parse_verifier_keys(text) else None
    except VerificationError:
        return None


def record_parts(pdf: bytes) -> dict[str, bytes]:
    """Return the record's four parts from a PDF's attachments; refuse a PDF with one missing or given twice."""
    parts: dict[str, bytes] = {}
    for attachment in pdf_attachments(pdf):
        kind = _kind_of(attachment)
        if kind is None:
            continue
        if kind in parts:
            raise VerificationError(f"the PDF holds {RECORD_PARTS[kind]} twice: it was added to after it was made")
        parts[kind] = attachment
    missing = [RECORD_PARTS[kind] for kind in RECORD_PARTS if kind not in parts and kind != "keys"]
    if missing:
        raise VerificationError("the PDF has no attachment holding " + " or ".join(missing))
    return parts


@dataclass
class RecordReport:
    """What checking a PDF record found."""

    reference: str | None = None
    version: int | None = None
    content_hash: str | None = None
    entry_index: int | None = None
    checkpoint: Checkpoint | None = None
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        lines = [f"warning: {warning}" for warning in self.warnings]
        if self.ok and self.checkpoint is not None:
            lines.append(
                f"OK: {self.reference} version {self.version}, SHA-256 {self.content_hash}, is entry {self.entry_index} "
                f"of the log {self.checkpoint.origin}, in its signed checkpoint of {self.checkpoint.size} entries"
            )
        lines += [f"FAILED: {problem}" for problem in self.problems]
        return "\n".join(lines)


def verify_record(pdf: bytes, trusted_keys: Sequence[VerifierKey] | None = None) -> RecordReport:
    """Check a PDF record: its content's hash is the one logged at submission, and the log holds that entry under a signed checkpoint."""
    report = RecordReport()
    try:
        parts = record_parts(pdf)
        content = json.loads(parts["content"])
        entry = json.loads(parts["entry"])
        report.reference, report.version = content.get("reference"), content.get("version")
        report.content_hash = hashlib.sha256(parts["content"]).hexdigest()
        report.entry_index = entry.get("index")
        _check_record_entry(content, entry, report.content_hash)
        keys = _record_keys(parts, trusted_keys, report)
        report.checkpoint = _check_record_receipt(parts["receipt"].decode("utf-8"), parts["entry"], keys)
    except VerificationError as error:
        report.problems.append(error.reason)
    except (ValueError, AttributeError, TypeError) as error:
        report.problems.append(f"an attachment is not what a record holds ({error})")
    return report


def _check_record_entry(content: dict, entry: dict, content_hash: str) -> None:
    data = entry.get("data") or {}
    if entry.get("action") != RECORD_ACTION:
        raise VerificationError(f"the attached audit entry records {entry.get('action')!r}, not a submission")
    if (entry.get("object") or {}).get("ref") != content.get("reference") or data.get("version") != content.get("version"):
        raise VerificationError(
            f"the attached audit entry is for {(entry.get('object') or {}).get('ref')} version {data.get('version')}, "
            f"not {content.get('reference')} version {content.get('version')}"
        )
    if data.get("content_hash") != content_hash:
        raise VerificationError(
            f"the attached content does not match the hash the log recorded: its SHA-256 is {content_hash}, "
            f"the log recorded {data.get('content_hash')} (the content was changed after it was submitted)"
        )


def _check_record_receipt(receipt_text: str, entry: bytes, keys: Sequence[VerifierKey]) -> Checkpoint:
    """Check the receipt as verify_receipt does, saying which of its two promises failed."""
    receipt = parse_receipt(receipt_text)
    try:
        checkpoint = open_checkpoint(receipt.checkpoint, keys)
    except VerificationError as error:
        raise VerificationError(f"the receipt's checkpoint is not signed by the log: {error.reason}") from error
    try:
        verify_inclusion(hash_leaf(entry), receipt.index, checkpoint.size, receipt.proof, checkpoint.root_hash)
    except VerificationError as error:
        raise VerificationError(
            f"the log does not hold the attached audit entry at index {receipt.index}: {error.reason} "
            "(the entry or the receipt was changed)"
        ) from error
    return checkpoint


def _record_keys(parts: Mapping[str, bytes], trusted_keys: Sequence[VerifierKey] | None, report: RecordReport) -> list[VerifierKey]:
    if trusted_keys:
        return list(trusted_keys)
    if "keys" not in parts:
        raise VerificationError("the PDF carries no verifier keys: give the log's keys with --key")
    report.warnings.append(
        "the log's keys came from the PDF itself, which proves only that it is self-consistent: pin them with --key"
    )
    return parse_verifier_keys(parts["keys"].decode("utf-8"))


# Command line


def main(argv: Sequence[str] | None = None) -> int:
    """Verify the bundle named on the command line; print a summary and return the exit status."""
    parser = argparse.ArgumentParser(description="Verify an exported audit log bundle, or a PDF record of an agreement version, offline.")
    parser.add_argument("bundle", help="the bundle directory, or a PDF record")
    parser.add_argument("--key", action="append", default=[], help="a trusted verifier key (repeat for each key)")
    parser.add_argument("--old-checkpoint", help="a signed checkpoint kept from earlier, which the log must extend")
    parser.add_argument("--no-signatures", action="store_true", help="skip the entry signatures (faster)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count(), help="worker processes (default: all cores)")
    parser.add_argument(
        "--policy", help="the log's tlog-policy file (from /audit/policy): trust its log keys, require its witness quorum"
    )
    args = parser.parse_args(argv)
    try:
        keys = [parse_verifier_key(key) for key in args.key] or None
        old_checkpoint = _read_text(Path(args.old_checkpoint)) if args.old_checkpoint else None
        policy = parse_policy(_read_text(Path(args.policy))) if args.policy else None
    except (OSError, VerificationError) as error:
        parser.error(_describe(error))
    if Path(args.bundle).is_file():
        try:
            record = verify_record(Path(args.bundle).read_bytes(), keys)
        except OSError as error:
            parser.error(str(error))
        print(record.summary())
        return 0 if record.ok else 1
    report = verify_bundle(args.bundle, keys, old_checkpoint, not args.no_signatures, args.jobs, policy)
    print(report.summary())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
