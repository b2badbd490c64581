"""Who may do what with reminders: the scheduler writes them, administrators read the outbox."""

from registry.core.actors import Actor


def can_queue_reminders(actor: Actor) -> bool:
    """Only the scheduled job and the command line (which act as administrators) write reminders."""
    return actor.is_admin


def can_view_outbox(actor: Actor) -> bool:
    """Administrators read the outbox: it holds every person's email address."""
    return actor.is_authenticated and actor.is_admin
