"""Checking the live database's log: the same verifier as an auditor runs, on a fresh export."""

import json
import tempfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from registry.extensions import db

from . import keys
from .export import export_bundle
from .models import AuditEntry, AuditEntryAuthority, AuditLogHead
from .verifier import Policy, Report, VerifierKey, parse_verifier_key, verify_bundle

BATCH = 5000


def verify_database(
    trusted_keys: Sequence[VerifierKey] | None = None,
    old_checkpoint: str | None = None,
    check_signatures: bool = True,
    jobs: int = 1,
    policy: Policy | None = None,
) -> Report:
    """Export the log to a temporary directory and verify it as an auditor would.

    Without trusted keys, the keys published in the database are trusted, as the bundle's
    own keys file would be; pass the keys you hold to check against them instead. With a
    witness policy, its log keys are trusted and the latest checkpoint must carry the
    cosignatures its quorum asks for.
    """
    if policy is not None and trusted_keys is None:
        trusted_keys = list(policy.logs)
    published = trusted_keys is None
    if published:
        trusted_keys = [parse_verifier_key(key.verifier_key) for key in keys.published_keys()]
    with tempfile.TemporaryDirectory(prefix="audit-verify-") as work:
        bundle = Path(work) / "bundle"
        export_bundle(bundle, as_found=True)
        stored = sum(1 for _ in (bundle / "entries.jsonl").open("rb"))
        report = verify_bundle(bundle, trusted_keys, old_checkpoint, check_signatures, jobs, policy=policy)
    if published:
        report.warnings.append(
            "the keys published in this database were trusted; to check against keys you hold, pass them with --key"
        )
    report.problems.extend(index_column_problems())
    head = db.session.get(AuditLogHead, 1)
    if stored != head.size:
        # Entries are missing from the end, or the head was moved: the stored log is shorter
        # (or longer) than the log the registry has been signing checkpoints for.
        report.problems.append(
            f"the log head says {head.size} entries but {stored} are stored: entries from {min(stored, head.size)} are missing or extra"
        )
    return report


def _signed_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def _stored_time(moment: datetime) -> datetime:
    # Entries are signed to the millisecond; the column keeps whatever the database keeps.
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _index_columns(entry: AuditEntry, authorities: list[str]) -> dict:
    return {
        "action": entry.action,
        "time": _stored_time(entry.time),
        "actor_user_id": entry.actor_user_id,
        "object_type": entry.object_type,
        "object_ref": entry.object_ref,
        "authorities": sorted(authorities),
    }


def _signed_columns(body: dict) -> dict:
    """Return what each index column must hold, from the signed entry itself."""
    actor = body.get("actor", {})
    return {
        "action": body.get("action"),
        "time": _signed_time(body["time"]),
        "actor_user_id": actor.get("id") if actor.get("type") == "user" else None,
        "object_type": body.get("object", {}).get("type"),
        "object_ref": str(body.get("object", {}).get("ref"))[:100],
        "authorities": sorted(body.get("authorities", [])),
    }


def _batches() -> Iterator[tuple[list[AuditEntry], dict[int, list[str]]]]:
    after = -1
    while True:
        entries = list(db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.index > after).order_by(AuditEntry.index).limit(BATCH)
        ))
        if not entries:
            return
        authorities = defaultdict(list)
        rows = db.session.execute(
            sa.select(AuditEntryAuthority.entry_index, AuditEntryAuthority.authority_code)
            .where(AuditEntryAuthority.entry_index.between(entries[0].index, entries[-1].index))
        )
        for index, code in rows:
            authorities[index].append(code)
        yield entries, authorities
        after = entries[-1].index
        db.session.expunge_all()


def index_column_problems() -> list[str]:
    """Check that every column the auditors' pages filter by says what the signed entry says.

    The columns repeat facts from the entry so that the log can be searched; nothing signs
    them, so a database administrator who changed one (an action, an actor, an authority)
    would mislead a search without breaking a signature. Each mismatch is named.
    """
    problems = []
    for entries, authorities in _batches():
        for entry in entries:
            try:
                signed = _signed_columns(json.loads(entry.entry))
            except (ValueError, KeyError, TypeError, AttributeError):
                continue  # an entry that is not even JSON is named by the signature check
            stored = _index_columns(entry, authorities.get(entry.index, []))
            for column, value in signed.items():
                if stored[column] != value:
                    where = "audit_entry_authorities" if column == "authorities" else f"the {column} column"
                    problems.append(
                        f"entry {entry.index}: {where} says {stored[column]!r} but the signed entry says {value!r}"
                    )
    return problems
