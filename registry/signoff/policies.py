"""Who may nudge a party still to approve, who runs the chasers, and who sees how fast authorities sign off."""

from registry.authorities.models import Authority
from registry.core.actors import Actor
from registry.users.actors import SystemActor
from registry.users.roles import Role


def can_nudge(actor: Actor, agreement, authority: Authority | None = None) -> bool:
    """An approver of the lead authority nudges the parties still to approve (whether one is, the service says)."""
    return actor.has_role(agreement.lead_authority, Role.APPROVER)


def can_send_chasers(actor: Actor) -> bool:
    """Only the scheduled job sends the chasers."""
    return isinstance(actor, SystemActor)


def can_view_signoff_speed(actor: Actor, authority: Authority) -> bool:
    """People at the authority, auditors and administrators see how fast its agreements are signed off."""
    return actor.is_auditor or actor.is_admin or actor.has_role(authority, Role.VIEWER)


def can_view_national_signoff_speed(actor: Actor) -> bool:
    """Auditors and administrators see how fast agreements are signed off across every authority."""
    return actor.is_auditor or actor.is_admin


def sees_agreements_of(actor: Actor, authority: Authority | None) -> bool:
    """Return True if the actor may read the agreements listed as waiting (titles, links): auditors, and people at the authority.

    Administrators see the figures and references, not what the agreements say: being an
    administrator is no back door into reading a council's agreements.
    """
    return actor.is_auditor or (authority is not None and actor.has_role(authority, Role.VIEWER))
