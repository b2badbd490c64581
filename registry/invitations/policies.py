"""Who may invite people to an authority, and manage the invitations sent."""

from registry.authorities.models import Authority
from registry.core.actors import Actor
from registry.users import policies as user_policies

from .models import Invitation


def can_invite(actor: Actor, authority: Authority) -> bool:
    """System administrators invite people to any authority; an authority's administrators, to theirs."""
    return user_policies.can_administer(actor, authority)


def can_manage_invitation(actor: Actor, invitation: Invitation) -> bool:
    """Whoever may invite people to the invitation's authority may see, resend and cancel it."""
    return can_invite(actor, invitation.authority)


def can_see_invitations(actor: Actor) -> bool:
    """System administrators and administrators for an authority see the invitations they manage."""
    return user_policies.can_see_people(actor)
