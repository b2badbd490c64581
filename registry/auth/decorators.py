"""Route decorators for the HTML pages: each checks who may use the route and declares it."""

from collections.abc import Callable
from functools import wraps

from flask import current_app, g
from flask_login import current_user

from registry.core.authz import declare
from registry.core.errors import AuthenticationRequired, PermissionDenied
from registry.users.roles import SystemRole

from .tokens import bearer_token, user_for_token


def signed_in(view: Callable) -> Callable:
    """Let anyone signed in use the route; send everyone else to sign in."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        return view(*args, **kwargs)

    return declare("signed-in")(wrapper)


def system_role_required(*roles: SystemRole) -> Callable:
    """Let only users with one of the system roles use the route."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if current_user.system_role not in roles:
                raise PermissionDenied("You do not have permission to see this page.")
            return view(*args, **kwargs)

        return declare("system-role:" + ",".join(roles))(wrapper)

    return decorator


def people_administrator(view: Callable) -> Callable:
    """Let system administrators and administrators for an authority use the route (the people pages).

    Which people and which authorities each may act on is for the page's policies and the
    services to decide; this only keeps everyone else out.
    """

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if not (current_user.is_admin or current_user.administered_authority_ids):
            raise PermissionDenied("You do not have permission to see this page.")
        return view(*args, **kwargs)

    return declare("people-administrator")(wrapper)


def current_actor():
    """Return the signed-in user as a plain object for services (not Flask-Login's proxy)."""
    return current_user._get_current_object()


def signed_in_or_token(*roles: SystemRole) -> Callable:
    """Let a signed-in user or an API token's owner use a machine-readable route, with a role if given.

    For plain-text and JSON routes outside /api (the audit log's entries and receipts) that
    people fetch in a browser and programs fetch with a token. They are GET-only, so the
    session cookie brings no CSRF risk.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            secret = bearer_token()
            actor = user_for_token(secret) if secret is not None else current_user
            if not actor.is_authenticated:
                raise AuthenticationRequired("Sign in, or send an API token as: Authorization: Bearer <token>.")
            if roles and actor.system_role not in roles:
                raise PermissionDenied("This needs the role: " + " or ".join(roles) + ".")
            g.actor = actor._get_current_object() if hasattr(actor, "_get_current_object") else actor
            return view(*args, **kwargs)

        label = "signed-in-or-token" + (":" + ",".join(roles) if roles else "")
        return declare(label)(wrapper)

    return decorator
