"""Authenticating a request by its personal API token (`Authorization: Bearer …`)."""

from datetime import timedelta

import sqlalchemy as sa
from flask import request
from sqlalchemy.orm import joinedload

from registry.core.db import utcnow
from registry.core.errors import AuthenticationRequired
from registry.core.tokens import secret_hash
from registry.extensions import db
from registry.users.models import ApiToken, User

# last_used_at is written at most this often, so reading through the API is not always a write.
TOUCH_INTERVAL = timedelta(minutes=1)
MISSING_TOKEN = "Send a valid API token in the Authorization header, as: Bearer <token>."


def bearer_token() -> str | None:
    """Return the token in the request's Authorization header, or None if there is none."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def user_for_token(secret: str | None) -> User:
    """Return the active owner of an unrevoked token, or raise AuthenticationRequired."""
    if secret is None:
        raise AuthenticationRequired(MISSING_TOKEN)
    # With its owner and the owner's memberships, which every endpoint's policies ask about: one query.
    token = db.session.scalars(
        sa.select(ApiToken)
        .where(ApiToken.token_hash == secret_hash(secret), ApiToken.revoked_at.is_(None))
        .options(joinedload(ApiToken.user).joinedload(User.memberships))
    ).unique().one_or_none()
    if token is None or not token.user.active:
        raise AuthenticationRequired("The API token is not valid: it may have been revoked, or its owner deactivated.")
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_INTERVAL:
        # Its own short transaction, so a read-only call never depends on a commit.
        with db.engine.begin() as connection:
            connection.execute(sa.update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
    return token.user
