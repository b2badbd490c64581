"""Who may decide how an authority's people sign in."""

from registry.authorities.models import Authority
from registry.core.actors import Actor


def can_set_password_sign_in(actor: Actor, authority: Authority) -> bool:
    """Turn password sign-in off or on for an authority: system administrators and that authority's administrators."""
    return actor.is_admin or actor.administers(authority)
