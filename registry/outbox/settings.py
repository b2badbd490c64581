"""Mail settings, from the app's configuration or the environment: which backend delivers, and who sends."""

import os

from flask import current_app

from registry.core.errors import DomainError

from .models import CHANNELS, MAILBOX, SMTP


def setting(name: str, default: str = ""):
    """Return a setting from the app's configuration, else the environment, else the default."""
    # The app's configuration wins, so that tests and instance config can set them.
    value = current_app.config.get(name)
    return value if value is not None else os.environ.get(name, default)


def flag(value) -> bool:
    """Return a setting read as yes or no: 1, true, yes and on are yes."""
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def backend_name() -> str:
    """Return the backend that delivers mail: MAIL_BACKEND if set, else smtp with a MAIL_SERVER, else the development mailbox.

    Production without MAIL_SERVER keeps sending over SMTP to 127.0.0.1:25 (a local relay),
    as it always did: a production server never silently keeps its mail to itself.
    """
    chosen = str(setting("MAIL_BACKEND", "")).strip().lower()
    if chosen:
        if chosen not in CHANNELS:
            raise DomainError(f"MAIL_BACKEND must be one of {', '.join(CHANNELS)}, not {chosen!r}.")
        return chosen
    if setting("MAIL_SERVER", "") or current_app.config["ENV_NAME"] == "production":
        return SMTP
    return MAILBOX


def sender() -> str:
    """Return the From address: MAIL_FROM, else registry@<the service's host>."""
    return str(setting("MAIL_FROM", "") or f"registry@{current_app.config['SERVICE_HOST']}")


def service_host() -> str:
    """Return the registry's host name: it names this registry in Message-IDs and to SMTP servers."""
    return current_app.config["SERVICE_HOST"]
