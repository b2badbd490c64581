"""Finding a password reset by its link's token."""

import sqlalchemy as sa

from registry.core.tokens import secret_hash
from registry.extensions import db

from .models import PasswordReset


def reset_by_token(token: str) -> PasswordReset | None:
    """Return the reset whose link holds this token, used or not, or None."""
    return db.session.scalar(sa.select(PasswordReset).where(PasswordReset.token_hash == secret_hash(token)))
