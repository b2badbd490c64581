"""What every template can use: the CSP nonce, the service name, navigation, and date filters."""

from datetime import date, datetime

from flask import Flask, current_app, request, url_for
from flask_login import current_user

from .clock import UK_TIME
from .security import csp_nonce


def format_date(value: date | None) -> str:
    """Format a date as GOV.UK does: 27 November 2026."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def format_iso_date(value: str | None) -> str:
    """Format an ISO date string (as stored in JSON documents) as GOV.UK does."""
    return format_date(date.fromisoformat(value)) if value else ""


def format_datetime(value: datetime | None) -> str:
    """Format a UTC timestamp in UK time: 27 November 2026 at 2:05pm."""
    if value is None:
        return ""
    local = value.astimezone(UK_TIME)
    hour = local.hour % 12 or 12
    return f"{format_date(local.date())} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


# (link text, endpoint, blueprints whose pages mark the link as current, who sees it)
_NAVIGATION = [
    ("Dashboard", "dashboard.show", ("dashboard",), lambda user: True),
    ("Agreements", "agreements.index", ("agreements",), lambda user: True),
    ("Authorities", "authorities.index", ("authorities",), lambda user: True),
    ("Datasets", "datasets.index", ("datasets",), lambda user: True),
    ("Legal bases", "legal.index", ("legal",), lambda user: True),
    ("Users", "users.index", ("users", "invitations"), lambda user: user.is_admin or bool(user.administered_authority_ids)),
    ("Audit log", "audit.index", ("audit",), lambda user: user.is_auditor),
    ("Outbox", "outbox.index", ("outbox",), lambda user: user.is_admin),
    ("Your account", "account.show", ("account",), lambda user: True),
]


def _navigation() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    return [
        {"text": text, "href": url_for(endpoint), "active": request.blueprint in blueprints}
        for text, endpoint, blueprints, shown_to in _NAVIGATION
        if shown_to(current_user)
    ]


def _template_globals() -> dict:
    return {
        "csp_nonce": csp_nonce,
        "service_name": current_app.config["SERVICE_NAME"],
        "main_navigation": _navigation,
    }


def init_app(app: Flask) -> None:
    """Register the template globals and filters."""
    app.context_processor(_template_globals)
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(format_iso_date, "iso_date")
