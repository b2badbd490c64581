"""The audit log's use cases for people: rotating its keys."""

from dataclasses import dataclass
from pathlib import Path

from registry.auditlog import keys
from registry.auditlog.recording import record
from registry.core.actors import Actor
from registry.core.errors import PermissionDenied

from . import policies


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


def rotate_key(actor: Actor, purpose: str) -> KeyRotation:
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
