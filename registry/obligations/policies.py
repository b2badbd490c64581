"""Who may attest to an obligation, and who may see what authorities owe each other."""

from registry.agreements.models import Obligation
from registry.authorities.models import Authority
from registry.core.actors import Actor
from registry.users.roles import Role


def can_attest(actor: Actor, obligation: Obligation) -> bool:
    """The owing party's approver attests for it."""
    return actor.has_role(obligation.owed_by.authority, Role.APPROVER)


def attestable(actor: Actor, dues) -> set[int]:
    """Return the ids of the obligations, among those listed, that the actor may attest to: for the pages' links."""
    return {due.obligation.id for due in dues if can_attest(actor, due.obligation)}


def can_view_counterparts(actor: Actor, mine: Authority) -> bool:
    """Members of an authority (and auditors) see what it owes and is owed."""
    return actor.is_auditor or actor.has_role(mine, Role.VIEWER)
