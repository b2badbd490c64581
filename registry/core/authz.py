"""Marks that state, on every route, who may use it; a structural test checks that each route has one.

The marks are declarations for people and for that test. The checks themselves live in the
decorators that set them (registry.auth.decorators) and again in the services.
"""

from collections.abc import Callable

ATTRIBUTE = "authorization"


def declare(decision: str) -> Callable:
    """Return a decorator that records the route's authorization decision."""

    def mark(view: Callable) -> Callable:
        setattr(view, ATTRIBUTE, decision)
        return view

    return mark


def public(view: Callable) -> Callable:
    """Declare a route open to everyone, signed in or not."""
    return declare("public")(view)


def decision_of(view: Callable) -> str | None:
    """Return the authorization decision declared on a view, or None if there is none."""
    return getattr(view, ATTRIBUTE, None)


def declare_endpoint_public(app, endpoint: str) -> None:
    """Declare a route that another library registered (Flask's static files, the API document) public."""
    view = app.view_functions[endpoint]

    def public_view(*args, **kwargs):
        return view(*args, **kwargs)

    public_view.__doc__ = view.__doc__
    app.view_functions[endpoint] = public(public_view)
