"""Writing to the audit log: record an entry inside the caller's transaction, and rotate keys.

Every mutating service in the registry ends with `record(...)`. The entry, its signature,
its stored hashes and the new signed checkpoint are written in the caller's transaction,
so they commit or roll back together with the change they describe.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from registry.core.db import utcnow
from registry.core.errors import PermissionDenied

from . import appending, entries, keys, policies

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
    log_key = keys.signer("log")
    entry_key = keys.signer("entry")
    keys.ensure_published("log", log_key)
    keys.ensure_published("entry", entry_key)
    now = utcnow()
    body = entries.entry_body(actor, action, object_type, object_ref, data, authorities, acting_for, now)
    # What the auditors' pages filter by; never used to verify the log.
    row = {
        "time": now,
        "action": action,
        "actor_user_id": body["actor"]["id"] if body["actor"].get("type") == "user" else None,
        "object_type": object_type,
        "object_ref": str(object_ref)[:100],
    }
    # Everything that can fail without the lock has been done: append now.
    return appending.append(body, row, log_key, entry_key).index


@dataclass(frozen=True)
class KeyRotation:
    """A new key published in the database, whose private half waits beside the old key's file."""

    purpose: str
    previous_key_id: str
    key_id: str
    pending_file: Path

    def install(self) -> Path:
        """Put the new key in place after the transaction committed; return where the old one went."""
        return keys.install_pending_key(self.purpose, self.pending_file, self.previous_key_id)

    def abandon(self) -> None:
        """Remove the new key's file after the transaction failed."""
        self.pending_file.unlink(missing_ok=True)


def rotate_key(actor, purpose: str) -> KeyRotation:
    """Publish a new key for the purpose and record the rotation, signed by the old keys."""
    if not policies.can_rotate_keys(actor):
        raise PermissionDenied("Only administrators can rotate the audit log's keys.")
    if purpose not in keys.PURPOSES:
        raise ValueError(f"purpose must be one of {keys.PURPOSES}")
    previous = keys.signer(purpose)
    keys.ensure_published(purpose, previous)
    new_signer, pending_file = keys.generate_pending_key(purpose)
    try:
        keys.publish(purpose, new_signer)
        # The entry announcing the new key is signed, and its checkpoint too, by the old keys:
        # whoever trusted the old key can follow the chain to the new one.
        record(
            actor,
            "audit.rotate_key",
            "audit_key",
            new_signer.key_id.hex(),
            {
                "purpose": purpose,
                "previous_key_id": previous.key_id.hex(),
                "key_id": new_signer.key_id.hex(),
                "verifier_key": new_signer.verifier_key,
            },
        )
    except BaseException:
        pending_file.unlink(missing_ok=True)
        raise
    return KeyRotation(purpose, previous.key_id.hex(), new_signer.key_id.hex(), pending_file)
