"""Writing to the audit log: record an entry inside the caller's transaction.

Every mutating service in the registry ends with `record(...)`. The entry, its signature,
its stored hashes and the new signed checkpoint are written in the caller's transaction,
so they commit or roll back together with the change they describe.
"""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from registry.core.db import utcnow

from . import appending, entries, keys

# Re-exported for callers that catch it.
EntryTooLarge = appending.EntryTooLarge


def commitment(text: str | None) -> str | None:
    """Return the SHA-256 of free text, so the log commits to it without holding it.

    The log can never be erased, so a reason or comment stays in its ordinary table and
    the entry carries only this hash, which proves what the text was.
    """
    if text is None:
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record(
    actor,
    action: str,
    object_type: str,
    object_ref: Any,
    data: dict | None = None,
    *,
    authorities: Iterable = (),
    acting_for=None,
) -> int:
    """Append a signed entry describing a change to the log, in the current transaction; return its index."""
    log_key, entry_key = _signers()
    body, row = _entry(actor, Change(action, object_type, object_ref, data, authorities, acting_for))
    # Everything that can fail without the lock has been done: append now.
    return appending.append(body, row, log_key, entry_key).index


@dataclass(frozen=True)
class Change:
    """One change for record_many to record: what record takes after the actor."""

    action: str
    object_type: str
    object_ref: Any
    data: dict | None = None
    authorities: Iterable = ()
    acting_for: Any = None


def record_many(actor, changes: Sequence[Change]) -> list[int]:
    """Append a signed entry for each change, in order, in the current transaction; return their indexes.

    The entries are the ones record would append one by one (each its own hashes,
    checkpoint and signature); a use case that makes hundreds of changes at once, like an
    import, writes them together instead of paying a round trip to the database for each.
    """
    log_key, entry_key = _signers()
    items = [_entry(actor, change) for change in changes]
    return [appended.index for appended in appending.append_many(items, log_key, entry_key)]


def _signers():
    log_key = keys.signer("log")
    entry_key = keys.signer("entry")
    keys.ensure_published("log", log_key)
    keys.ensure_published("entry", entry_key)
    return log_key, entry_key


def _entry(actor, change: Change) -> tuple[dict, dict]:
    now = utcnow()
    body = entries.entry_body(actor, change.action, change.object_type, change.object_ref, change.data,
                              change.authorities, change.acting_for, now)
    # What the auditors' pages filter by; never used to verify the log.
    row = {
        "time": now,
        "action": change.action,
        "actor_user_id": body["actor"]["id"] if body["actor"].get("type") == "user" else None,
        "object_type": change.object_type,
        "object_ref": str(change.object_ref)[:100],
    }
    return body, row
