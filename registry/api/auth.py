"""Who may use each API endpoint: a personal API token in `Authorization: Bearer`, and roles.

The API accepts tokens only, never the browser's session cookie, so a web page elsewhere
cannot make a signed-in person's browser call it (no CSRF exposure).
"""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from http import HTTPStatus

import sqlalchemy as sa
from flask import g, request

from registry.core.authz import declare
from registry.core.db import utcnow
from registry.core.errors import AuthenticationRequired, PermissionDenied
from registry.core.tokens import secret_hash
from registry.extensions import db
from registry.users.models import ApiToken, User

TOUCH_INTERVAL = timedelta(minutes=1)
MISSING_TOKEN = "Send a valid API token in the Authorization header, as: Bearer <token>."


def _authenticate() -> User:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise AuthenticationRequired(MISSING_TOKEN)
    token = db.session.scalar(
        sa.select(ApiToken).where(ApiToken.token_hash == secret_hash(secret.strip()), ApiToken.revoked_at.is_(None))
    )
    if token is None or not token.user.active:
        raise AuthenticationRequired("The API token is not valid: it may have been revoked, or its owner deactivated.")
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_INTERVAL:
        # Its own short transaction, so a read-only call never depends on a commit.
        with db.engine.begin() as connection:
            connection.execute(sa.update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
    return token.user


def api_actor() -> User:
    """Return the user whose token authenticated this request."""
    return g.api_user


def _with_error_docs(blp, view: Callable, statuses: tuple[int, ...]) -> Callable:
    for status in statuses:
        view = blp.alt_response(status, response=HTTPStatus(status).name)(view)
    return view


def token_required(blp) -> Callable:
    """Let any holder of a valid token use the endpoint (documenting 401)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            g.api_user = _authenticate()
            return view(*args, **kwargs)

        return declare("api-token")(_with_error_docs(blp, wrapper, (401,)))

    return decorator


def token_with_system_role(blp, *roles: str) -> Callable:
    """Let only holders of a valid token whose owner has one of the system roles use the endpoint."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            g.api_user = _authenticate()
            if g.api_user.system_role not in roles:
                raise PermissionDenied("Your account does not have the role this needs: " + " or ".join(roles) + ".")
            return view(*args, **kwargs)

        return declare("api-token+system-role:" + ",".join(roles))(_with_error_docs(blp, wrapper, (401, 403)))

    return decorator
