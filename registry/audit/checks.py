"""Checking the live database's log: the same verifier as an auditor runs, on a fresh export."""

import tempfile
from collections.abc import Sequence
from pathlib import Path

from registry.extensions import db

from . import keys
from .export import export_bundle
from .models import AuditLogHead
from .verifier import Report, VerifierKey, parse_verifier_key, verify_bundle


def verify_database(
    trusted_keys: Sequence[VerifierKey] | None = None,
    old_checkpoint: str | None = None,
    check_signatures: bool = True,
    jobs: int = 1,
) -> Report:
    """Export the log to a temporary directory and verify it as an auditor would.

    Without trusted keys, the keys published in the database are trusted, as the bundle's
    own keys file would be; pass the keys you hold to check against them instead.
    """
    published = trusted_keys is None
    if published:
        trusted_keys = [parse_verifier_key(key.verifier_key) for key in keys.published_keys()]
    with tempfile.TemporaryDirectory(prefix="audit-verify-") as work:
        bundle = Path(work) / "bundle"
        export_bundle(bundle, as_found=True)
        stored = sum(1 for _ in (bundle / "entries.jsonl").open("rb"))
        report = verify_bundle(bundle, trusted_keys, old_checkpoint, check_signatures, jobs)
    if published:
        report.warnings.append(
            "the keys published in this database were trusted; to check against keys you hold, pass them with --key"
        )
    head = db.session.get(AuditLogHead, 1)
    if stored != head.size:
        # Entries are missing from the end, or the head was moved: the stored log is shorter
        # (or longer) than the log the registry has been signing checkpoints for.
        report.problems.append(
            f"the log head says {head.size} entries but {stored} are stored: entries from {min(stored, head.size)} are missing or extra"
        )
    return report
