"""Who may read the outbox: administrators only, since it holds every person's email address and every message."""

from registry.core.actors import Actor

from .models import OutboxMessage


def can_view_message(actor: Actor, message: OutboxMessage | None = None) -> bool:
    """Administrators read any message in the outbox; nobody else reads any."""
    return actor.is_authenticated and actor.is_admin
