"""Who may do what with authorities."""

from registry.core.actors import Actor

from .models import Authority


def can_view_authorities(actor: Actor) -> bool:
    """Anyone signed in may look up authorities: they are public reference data."""
    return actor is not None and actor.is_authenticated


def can_add_partner(actor: Actor) -> bool:
    """Only administrators add partner bodies."""
    return actor.is_admin


def can_edit(actor: Actor, authority: Authority) -> bool:
    """Administrators edit partner bodies; councils change only through the reference data."""
    return actor.is_admin and not authority.is_local_authority


def can_import_councils(actor: Actor) -> bool:
    """Only administrators (and the command line) load the councils' reference data."""
    return actor.is_admin
