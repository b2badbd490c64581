"""Who may do what with notifications: each person reads and chooses their own; the scheduled job sends digests."""

from registry.core.actors import Actor


def can_read_notifications(actor: Actor) -> bool:
    """A signed-in person reads their own notifications and chooses how they hear; the system has no inbox."""
    return actor.is_authenticated and actor.id is not None


def can_send_digests(actor: Actor) -> bool:
    """Only the scheduled job and the command line (which act as administrators) send the daily digests."""
    return actor.id is None and actor.is_admin
