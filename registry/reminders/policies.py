"""Who may do what with reminders: the scheduler writes them."""

from registry.core.actors import Actor


def can_queue_reminders(actor: Actor) -> bool:
    """Only the scheduled job and the command line (which act as administrators) write reminders."""
    return actor.is_admin
