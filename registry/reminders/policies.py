"""Who may do what with reminders: the scheduler writes them, administrators read the outbox, each person chooses their own."""

from registry.core.actors import Actor


def can_queue_reminders(actor: Actor) -> bool:
    """Only the scheduled job and the command line (which act as administrators) write reminders."""
    return actor.is_admin


def can_view_outbox(actor: Actor) -> bool:
    """Administrators read the outbox: it holds every person's email address."""
    return actor.is_authenticated and actor.is_admin


def can_choose_reminders(actor: Actor) -> bool:
    """Each signed-in person chooses their own reminders; the command line has no inbox to choose for."""
    return actor.is_authenticated and getattr(actor, "id", None) is not None
