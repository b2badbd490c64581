"""Route decorators for the HTML pages: each checks who may use the route and declares it."""

from collections.abc import Callable
from functools import wraps

from flask import current_app
from flask_login import current_user

from registry.core.authz import declare
from registry.core.errors import PermissionDenied
from registry.users.roles import SystemRole


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


def current_actor():
    """Return the signed-in user as a plain object for services (not Flask-Login's proxy)."""
    return current_user._get_current_object()
