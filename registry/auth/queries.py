"""Questions about how people may sign in."""

import sqlalchemy as sa

from registry.authorities.models import Authority
from registry.extensions import db
from registry.users.models import User

from .models import PasswordSignInOff


def password_sign_in_off(authority: Authority) -> bool:
    """Return True if the authority's people may no longer sign in with a password."""
    return db.session.get(PasswordSignInOff, authority.id) is not None


def password_refused_for(user: User) -> bool:
    """Return True if any authority the user belongs to or administers has turned password sign-in off."""
    ids = user.authority_ids
    if not ids:
        return False
    return db.session.scalar(
        sa.select(sa.exists().where(PasswordSignInOff.authority_id.in_(ids)))
    )
