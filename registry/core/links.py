"""Absolute links to the registry's pages, for emails and calendar feeds: built without a request.

They start with SERVICE_URL (REGISTRY_URL in the environment): https://<REGISTRY_HOST> in
production; in development the address `make run` serves, http://127.0.0.1:<PORT>, so that
a link in a reminder opens the running app. Never the request's Host header, which anyone
can set.
"""

from urllib.parse import urlsplit

from flask import current_app


def _adapter():
    base = urlsplit(current_app.config["SERVICE_URL"])
    return current_app.url_map.bind(base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme)


def external_url(endpoint: str, **values) -> str:
    """Return the absolute address of a page on the registry's own base URL."""
    return _adapter().build(endpoint, values, force_external=True)


def path_for(endpoint: str, **values) -> str:
    """Return a page's path (and query) on the registry, for a link the registry shows itself."""
    return _adapter().build(endpoint, values)


def path_on_this_site(target: str | None) -> str | None:
    """Return the target if it is a path on this site (somewhere to go after signing in), else None."""
    # A path only, so a sign-in cannot send someone elsewhere. Browsers read a backslash as a
    # slash, so "/\\evil.example" would be another site too.
    if target and target.startswith("/") and "\\" not in target and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return None
