"""Pure fixtures for the audit log tests: in-memory stored hashes, test keys and a bundle writer (no app)."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from registry.auditlog import tlog, verifier
from registry.auditlog.tlog import ReadHashes, Signer

ORIGIN = "registry.example/audit"
VERIFIER_SOURCE = Path(verifier.__file__)


@dataclass
class MemoryLog:
    """A stored-hash table kept in a list, the way the registry keeps it in a database table."""

    hashes: list[bytes] = field(default_factory=list)
    leaf_hashes: list[bytes] = field(default_factory=list)
    calls: list[list[int]] = field(default_factory=list)

    @property
    def size(self) -> int:
        """Return the number of records."""
        return len(self.leaf_hashes)

    def append(self, entry: bytes) -> None:
        """Append one record and store the hashes it adds."""
        leaf_hash = verifier.hash_leaf(entry)
        self.hashes += tlog.stored_hashes_for_record(self.size, leaf_hash, self.read_hashes)
        self.leaf_hashes.append(leaf_hash)

    def read_hashes(self, indexes: list[int]) -> list[bytes]:
        """Return the stored hashes at indexes, recording the call."""
        self.calls.append(list(indexes))
        return [self.hashes[index] for index in indexes]

    def reader(self, size: int) -> ReadHashes:
        """Return a read_hashes callback that fails if asked for a hash the tree of that size lacks."""
        limit = tlog.stored_hash_count(size)

        def read_hashes(indexes: list[int]) -> list[bytes]:
            assert all(0 <= index < limit for index in indexes), f"read beyond the tree of size {size}"
            return self.read_hashes(indexes)

        return read_hashes


@dataclass(frozen=True)
class AuditLogFixture:
    """Keys for a test log, and helpers that write and tamper with export bundles."""

    origin: str
    log_signer: Signer
    entry_signer: Signer
    other_signer: Signer

    @property
    def verifier_keys(self) -> list[verifier.VerifierKey]:
        """Return the log's published verifier keys, as an auditor pins them."""
        return [verifier.parse_verifier_key(s.verifier_key) for s in (self.log_signer, self.entry_signer)]

    def entries(self, count: int, start: int = 0) -> list[bytes]:
        """Return canonical JSON entries with indexes start, start + 1, ..."""
        return [entry_bytes(index) for index in range(start, start + count)]

    def memory_log(self, entries: list[bytes]) -> MemoryLog:
        """Return an in-memory log holding the entries."""
        log = MemoryLog()
        for entry in entries:
            log.append(entry)
        return log

    def signed_checkpoint(self, entries: list[bytes], signer: Signer | None = None) -> str:
        """Return the checkpoint of a log of these entries, signed by the log key or by signer."""
        root = verifier.root_from_leaf_hashes([verifier.hash_leaf(entry) for entry in entries])
        return tlog.sign_note(tlog.format_checkpoint(self.origin, len(entries), root), signer or self.log_signer)

    def entry_line(self, index: int, entry: bytes, signer: Signer | None = None) -> str:
        """Return an entries.jsonl line for entry, signed by the entry key or by signer."""
        return tlog.format_entry_line(index, entry, *tlog.sign_entry(entry, signer or self.entry_signer))

    def write_bundle(self, directory: Path, entries: list[bytes]) -> Path:
        """Write an export bundle of these entries in the format verifier.py documents."""
        log = self.memory_log(entries)
        directory.mkdir(parents=True)
        root = tlog.tree_hash(log.size, log.read_hashes)
        checkpoint = tlog.format_checkpoint(self.origin, log.size, root)
        (directory / "checkpoint").write_text(tlog.sign_note(checkpoint, self.log_signer))
        (directory / "keys").write_text(f"{self.log_signer.verifier_key}\n{self.entry_signer.verifier_key}\n")
        (directory / "policy").write_text(tlog.format_policy([self.log_signer.verifier_key]))
        (directory / "entries.jsonl").write_text("".join(self.entry_line(i, e) for i, e in enumerate(entries)))
        for tile in tlog.tiles_for_tree_size(log.size):
            write_file(directory / tlog.tile_path(tile), tlog.tile_bytes(tile, log.read_hashes))
        for bundle in tlog.entry_bundles_for_tree_size(log.size):
            start = bundle.n * verifier.TILE_WIDTH
            write_file(directory / tlog.tile_path(bundle), tlog.entry_bundle(entries[start : start + bundle.width]))
        (directory / "README.md").write_text("Run: python verify.py .\n")
        shutil.copyfile(VERIFIER_SOURCE, directory / "verify.py")
        self.reseal(directory)
        return directory

    def reseal(self, directory: Path) -> None:
        """Rewrite the bundle's manifest from its files, as a forger covering their tracks would."""
        digests = {
            path.relative_to(directory).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in directory.rglob("*")
            if path.is_file() and path.name != "manifest.json"
        }
        (directory / "manifest.json").write_text(tlog.format_manifest(digests))

    def read_lines(self, directory: Path) -> list[str]:
        """Return the lines of the bundle's entries.jsonl, newlines included."""
        return (directory / "entries.jsonl").read_text().splitlines(keepends=True)

    def write_lines(self, directory: Path, lines: list[str]) -> None:
        """Replace the bundle's entries.jsonl and reseal its manifest."""
        (directory / "entries.jsonl").write_text("".join(lines))
        self.reseal(directory)

    def record(self, line: str) -> dict:
        """Parse one entries.jsonl line."""
        return json.loads(line)


def entry_bytes(index: int) -> bytes:
    """Return a plausible canonical (RFC 8785) audit entry with the given index."""
    return rfc8785.dumps(
        {
            "v": 1,
            "index": index,
            "time": f"2025-01-01T00:00:{index % 60:02d}Z",
            "actor": {"user": 1000 + index % 7, "authority": "E06000001"},
            "action": "agreement.approve",
            "object": {"type": "agreement", "ref": f"DSA-{index:06d}"},
            "data": {"status": "approved", "content_sha256": hashlib.sha256(str(index).encode()).hexdigest()},
        }
    )


def write_file(path: Path, data: bytes) -> None:
    """Write data to path, creating its directories."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def deterministic_signer(name: str, seed_byte: int) -> Signer:
    """Return an Ed25519 signer from a fixed seed, so test keys are the same on every run."""
    private_key = Ed25519PrivateKey.from_private_bytes(bytes([seed_byte]) * 32)
    public_key = Signer(name, b"", private_key).public_key
    return Signer(name, verifier.key_id(name, public_key), private_key)


@pytest.fixture(scope="session")
def audit_log() -> AuditLogFixture:
    """Return the test log's keys and bundle helpers."""
    return AuditLogFixture(
        origin=ORIGIN,
        log_signer=deterministic_signer(ORIGIN, 1),
        entry_signer=deterministic_signer(ORIGIN + "/entries", 2),
        other_signer=deterministic_signer(ORIGIN, 3),
    )


@pytest.fixture(scope="session")
def memory_log(audit_log: AuditLogFixture) -> MemoryLog:
    """Return a 300-record in-memory log: every smaller tree is a prefix of it."""
    return audit_log.memory_log(audit_log.entries(300))


@pytest.fixture(scope="module")
def our_log(audit_log: AuditLogFixture, entries: list[bytes]) -> MemoryLog:
    """Return our stored-hash log of the module's entries (a module that uses it says which, in an `entries` fixture)."""
    return audit_log.memory_log(entries)


@pytest.fixture
def bundle(tmp_path: Path, audit_log: AuditLogFixture) -> Path:
    """Return a freshly written, untampered 300-entry bundle."""
    return audit_log.write_bundle(tmp_path / "bundle", audit_log.entries(300))
