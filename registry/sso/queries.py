"""Read side of single sign-on: whose identity this is, and which providers the sign-in page offers."""

import sqlalchemy as sa

from registry.extensions import db

from .models import Identity


def identity_for(issuer: str, tenant_id: str, subject: str) -> Identity | None:
    """Return the identity with this key, or None the first time someone signs in with it."""
    return db.session.scalar(
        sa.select(Identity).where(Identity.issuer == issuer, Identity.tenant_id == tenant_id, Identity.subject == subject)
    )
