"""Who may bring agreements in from a spreadsheet."""

from registry.authorities.models import Authority
from registry.core.actors import Actor
from registry.users.actors import SystemActor
from registry.users.roles import Role


def can_import(actor: Actor, lead_authority: Authority, *, in_force: bool) -> bool:
    """Contributors import drafts for their authority; only its approvers vouch that an agreement is in force.

    The command line imports for any authority: its operator can change the database anyway.
    """
    if isinstance(actor, SystemActor):
        return True
    return actor.has_role(lead_authority, Role.APPROVER if in_force else Role.CONTRIBUTOR)


def can_start_import(actor: Actor) -> bool:
    """Anyone who may import for some authority sees the import pages."""
    return isinstance(actor, SystemActor) or any(
        actor.has_role(membership.authority, Role.CONTRIBUTOR) for membership in actor.memberships
    )
