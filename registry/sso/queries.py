"""Read side of single sign-on: whose identity this is, and which providers the sign-in page offers."""

import sqlalchemy as sa

from registry.extensions import db

from registry.users.models import User

from .models import Identity


def identity_for(issuer: str, tenant_id: str, subject: str) -> Identity | None:
    """Return the identity with this key, or None the first time someone signs in with it."""
    return db.session.scalar(
        sa.select(Identity).where(Identity.issuer == issuer, Identity.tenant_id == tenant_id, Identity.subject == subject)
    )


def identities_of(user: User) -> list[Identity]:
    """Return the identities linked to the user's account, oldest first."""
    return list(db.session.scalars(sa.select(Identity).where(Identity.user_id == user.id).order_by(Identity.id)))
