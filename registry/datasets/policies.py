"""Who may do what with datasets and their data items.

Anyone signed in may read the catalogue, which the route decorators check: it describes
kinds of data, never the data itself, and partners need each other's datasets to draft flows.
"""

from registry.authorities.models import Authority
from registry.core.actors import Actor
from registry.users.roles import Role

from .models import Dataset


def can_add_dataset(actor: Actor, authority: Authority) -> bool:
    """Contributors and approvers of an authority add datasets to its catalogue."""
    return actor.has_role(authority, Role.CONTRIBUTOR)


def can_manage(actor: Actor, dataset: Dataset) -> bool:
    """Contributors and approvers of the owning authority change a dataset and its items.

    Administrators and auditors hold no such role through their system role: only a
    membership of the owner lets anyone say what the owner holds.
    """
    return actor.has_role(dataset.authority, Role.CONTRIBUTOR)
