"""Who may read the audit log, export it, and change its keys."""

from registry.core.actors import Actor


def can_read_log(actor: Actor) -> bool:
    """Auditors read every entry: who did what, to what, when."""
    return actor.is_auditor


def can_export_log(actor: Actor) -> bool:
    """Auditors download the whole log to verify it offline."""
    return actor.is_auditor


def can_read_receipt(actor: Actor) -> bool:
    """Anyone signed in may fetch a receipt: it holds only hashes and a checkpoint."""
    return actor.is_authenticated


def can_rotate_keys(actor: Actor) -> bool:
    """Administrators rotate the log's keys."""
    return actor.is_admin
