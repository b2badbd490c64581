"""Who may create, replace and stop calendar feeds, and which feeds still answer."""

from registry.authorities.models import Authority
from registry.core.actors import Actor
from registry.users.models import User

from .models import CalendarFeed


def _membership(user: User, authority_id: int):
    return next((m for m in user.memberships if m.authority_id == authority_id), None)


def can_create_feed(actor: Actor, authority: Authority) -> bool:
    """An active person may have a feed of an authority they belong to, in any role."""
    return isinstance(actor, User) and actor.active and actor.role_in(authority) is not None


def can_regenerate_feed(actor: Actor, feed: CalendarFeed) -> bool:
    """The owner replaces their own feed, while they still belong to its authority."""
    return can_revoke_feed(actor, feed) and can_create_feed(actor, feed.authority)


def can_revoke_feed(actor: Actor, feed: CalendarFeed) -> bool:
    """The owner stops their own feed (deactivating them stops all of theirs)."""
    return isinstance(actor, User) and feed.user_id == actor.id


def is_live(feed: CalendarFeed) -> bool:
    """Return True if the feed may still be served: not revoked, owner active, membership unbroken.

    The membership must be at least as old as the feed: a person who leaves the authority
    and is later let back in gets a new membership, and their old address stays dead.
    """
    if feed.revoked_at is not None or not feed.user.active:
        return False
    membership = _membership(feed.user, feed.authority_id)
    return membership is not None and membership.created_at <= feed.created_at
