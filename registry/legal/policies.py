"""Who may do what with the legal vocabulary."""

from registry.core.actors import Actor

from .models import LegalBasis


def can_add_legal_basis(actor: Actor) -> bool:
    """Only administrators add legal bases, such as a new statutory gateway or a local act."""
    return actor.is_admin


def can_edit(actor: Actor, legal_basis: LegalBasis) -> bool:
    """Administrators change any legal basis; the reference-data import may later put bundled wording back."""
    return actor.is_admin


def can_import_legal_bases(actor: Actor) -> bool:
    """Only administrators (and the command line) load the legal vocabulary's reference data."""
    return actor.is_admin
