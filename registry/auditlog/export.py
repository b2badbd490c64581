"""Exporting the log as a bundle an auditor verifies offline with the bundled verify.py.

Everything is streamed: entries are read in batches and written as they come, so memory
stays flat however long the log is. The bundle describes the log at one size, fixed when
the export starts, so appends during the export do not make it inconsistent.
"""

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from registry.extensions import db

from . import cosigning, keys, queries, tlog
from .models import AuditEntry
from .verifier import (
    ENTRIES_FILE,
    MANIFEST_FILE,
    TILE_WIDTH,
    Tile,
    VerificationError,
    parse_checkpoint,
    parse_note,
    tile_path,
    tiles_for_tree_size,
)

VERIFIER_SOURCE = Path(__file__).with_name("verifier.py")
BATCH = 4096


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote."""

    directory: Path
    size: int
    files: int


class _BundleWriter:
    """Writes the bundle's files, noting each one's SHA-256 for the manifest."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.digests: dict[str, str] = {}

    def write(self, relative: str, data: bytes) -> None:
        path = self.directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.digests[relative] = hashlib.sha256(data).hexdigest()

    def write_entries(self, size: int) -> None:
        """Stream entries.jsonl and the entry bundles, one batch of rows at a time."""
        digest = hashlib.sha256()
        bundle: list[bytes] = []
        with (self.directory / ENTRIES_FILE).open("wb") as lines:
            for start in range(0, size, BATCH):
                rows = db.session.execute(
                    sa.select(AuditEntry.index, AuditEntry.entry, AuditEntry.key_id, AuditEntry.signature)
                    .where(AuditEntry.index >= start, AuditEntry.index < min(start + BATCH, size))
                    .order_by(AuditEntry.index)
                )
                for index, entry, key_id, signature in rows:
                    line = tlog.format_entry_line(index, entry, key_id, signature).encode("utf-8")
                    lines.write(line)
                    digest.update(line)
                    bundle.append(entry)
                    if len(bundle) == TILE_WIDTH:
                        self._write_entry_bundle(index // TILE_WIDTH, bundle)
                        bundle = []
                db.session.expunge_all()
        if bundle:
            self._write_entry_bundle(size // TILE_WIDTH, bundle)
        self.digests[ENTRIES_FILE] = digest.hexdigest()

    def _write_entry_bundle(self, n: int, entries: list[bytes]) -> None:
        self.write(tile_path(Tile(None, n, len(entries))), tlog.entry_bundle(entries))

    def write_hash_tiles(self, size: int, skip_missing: bool) -> None:
        for tile in tiles_for_tree_size(size):
            try:
                data = tlog.tile_bytes(tile, queries.read_hashes)
            except LookupError:
                if not skip_missing:
                    raise
                continue  # the verifier names the missing tile
            self.write(tile_path(tile), data)


def _last_stored_checkpoint(size: int) -> str:
    """Return the checkpoint stored with the last entry below size that is still there."""
    checkpoint = db.session.scalar(
        sa.select(AuditEntry.checkpoint).where(AuditEntry.index < size).order_by(AuditEntry.index.desc()).limit(1)
    )
    return checkpoint if checkpoint is not None else queries.checkpoint_at(0)


def _size_of(checkpoint: str) -> int:
    try:
        return parse_checkpoint(parse_note(checkpoint).text).size
    except VerificationError:
        return -1  # damaged: verification will say how; no cosignature can be on it


def export_bundle(directory: Path, *, as_found: bool = False) -> ExportSummary:
    """Write the whole log, at its current size, as a verifiable bundle into an empty directory.

    With as_found, write whatever the tables hold even if they are damaged (entries missing,
    hashes missing), so that verification can name what is wrong instead of failing here.
    """
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise FileExistsError(f"{directory} is not empty")
    size = queries.log_size()
    writer = _BundleWriter(directory)
    if as_found:
        # With whatever the witnesses cosigned of it, so that a verifier holding the policy
        # can tell a checkpoint they saw from one they never did (a rolled-back head).
        checkpoint = _last_stored_checkpoint(size)
        checkpoint += cosigning.cosignature_lines(_size_of(checkpoint))
    else:
        # The latest checkpoint its witnesses cosigned, and the log up to it (newer entries
        # wait for the next export); with no witnesses, the latest checkpoint.
        checkpoint = cosigning.cosigned_checkpoint() or queries.checkpoint_at(size)
        size = parse_checkpoint(parse_note(checkpoint).text).size
    writer.write("checkpoint", checkpoint.encode("utf-8"))
    published = keys.published_keys()
    writer.write("keys", "".join(f"{k.verifier_key}\n" for k in published).encode("utf-8"))
    writer.write("policy", cosigning.policy_text().encode("utf-8"))
    writer.write_entries(size)
    # The tiles describe the tree the checkpoint signs (in a damaged log, maybe not `size`).
    writer.write_hash_tiles(parse_checkpoint(parse_note(checkpoint).text).size, skip_missing=as_found)
    writer.write("verify.py", VERIFIER_SOURCE.read_bytes())
    writer.write("README.md", _readme(size).encode("utf-8"))
    (directory / MANIFEST_FILE).write_text(tlog.format_manifest(writer.digests))
    return ExportSummary(directory, size, len(writer.digests) + 1)


def export_archive(work_directory: Path) -> Path:
    """Export the log into a gzipped tar archive inside a working directory; return its path."""
    bundle = work_directory / "audit-log"
    summary = export_bundle(bundle)
    archive = shutil.make_archive(str(work_directory / f"audit-log-{summary.size}"), "gztar", work_directory, "audit-log")
    return Path(archive)


def _readme(size: int) -> str:
    return f"""# Audit log bundle

This is the registry's audit log at size {size}, as exported for offline verification.
It needs Python 3.11 or newer and the `cryptography` package; nothing from the registry.

    python3 -m pip install cryptography
    python3 verify.py .                      # check everything in this bundle

Trust nobody: fetch the log's verifier keys from somewhere other than this bundle (the
registry publishes them at /audit/keys; a council may keep them on file) and pin them:

    python3 verify.py . --key '<verifier key>' --key '<entry verifier key>'

Better still, pin the log's witness policy (published at /audit/policy): it names the log
keys and the witnesses (councils and others who check that the log never rewrites or
forks its history) and how many of them must have cosigned the checkpoint:

    python3 verify.py . --policy policy-you-fetched-yourself.txt

If you kept a checkpoint from an earlier visit, check that this log extends it, so that
nothing seen before was removed or changed:

    python3 verify.py . --old-checkpoint my-earlier-checkpoint

`verify.py` exits with status 0 only if every check holds; otherwise it names the first
entry, tile or file that failed and why.

The same `verify.py` checks a PDF record of an agreement version on its own: that its
attached content has the hash the log recorded, and that the log holds that entry:

    python3 verify.py DSA-2026-0042-v1.pdf --key '<verifier key>'

## What is here

- `checkpoint`: the signed checkpoint (C2SP tlog-checkpoint, signed-note) of the log at size {size},
  with its witnesses' cosignatures (C2SP tlog-cosignature).
- `keys`: the verifier keys ever used, the current log key first.
- `policy`: the log's witness policy (C2SP tlog-policy): its log keys, witnesses and quorum.
- `entries.jsonl`: every entry in order, each with its Ed25519 signature. An entry's exact
  bytes are the JSON string in its "entry" field; they are RFC 8785 canonical JSON.
- `tile/`: the Merkle tree as C2SP tlog-tiles (hash tiles and entry bundles).
- `manifest.json`: the SHA-256 of every other file.

The tree is RFC 6962's: leaf hash SHA-256(0x00 || entry), node hash SHA-256(0x01 || left || right).
"""
