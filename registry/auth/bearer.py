"""Who may use each API endpoint: a personal API token in `Authorization: Bearer`, and roles.

The API accepts tokens only, never the browser's session cookie, so a web page elsewhere
cannot make a signed-in person's browser call it (no CSRF exposure).
"""

from collections.abc import Callable
from functools import wraps
from http import HTTPStatus

from flask import g

from registry.auth.tokens import bearer_token, user_for_token
from registry.core.authz import declare
from registry.core.errors import PermissionDenied
from registry.users.models import User


def api_actor() -> User:
    """Return the user whose token authenticated this request."""
    return g.api_user


def _with_error_docs(blp, view: Callable, statuses: tuple[int, ...]) -> Callable:
    # 400 is a body that is not JSON, or a request the server cannot read at all.
    for status in statuses:
        view = blp.alt_response(status, response=HTTPStatus(status).name)(view)
    return view


def token_required(blp, errors: tuple[int, ...] = ()) -> Callable:
    """Let any holder of a valid token use the endpoint, documenting 400, 401 and the other errors it may answer."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            g.api_user = user_for_token(bearer_token())
            return view(*args, **kwargs)

        return declare("api-token")(_with_error_docs(blp, wrapper, (400, 401, *errors)))

    return decorator


def token_with_system_role(blp, *roles: str, errors: tuple[int, ...] = ()) -> Callable:
    """Let only holders of a valid token whose owner has one of the system roles use the endpoint (errors: as token_required)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            g.api_user = user_for_token(bearer_token())
            if g.api_user.system_role not in roles:
                raise PermissionDenied("Your account does not have the role this needs: " + " or ".join(roles) + ".")
            return view(*args, **kwargs)

        return declare("api-token+system-role:" + ",".join(roles))(_with_error_docs(blp, wrapper, (400, 401, 403, *errors)))

    return decorator
