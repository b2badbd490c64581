"""Turns every error into a response once: JSON under /api, GOV.UK error pages elsewhere.

Messages shown come from our own domain errors or fixed texts here; an exception's text
or a stack trace never reaches a user.
"""

import logging
import re

from flask import Flask, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from registry.extensions import db

from .errors import AuthenticationRequired, DomainError

log = logging.getLogger(__name__)

PAGE_TITLES = {
    400: "There is a problem with the request",
    403: "You do not have permission to see this page",
    404: "Page not found",
    405: "This action is not available here",
    409: "This cannot be done now",
    413: "What you sent is too large",
    422: "There is a problem with the data sent",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
}


def wants_json() -> bool:
    """Return True when the response should be JSON: the API, and other paths registered as machine-readable."""
    return request.path.startswith(("/api/", *current_app.config.get("MACHINE_READABLE_PATHS", ())))


def error_response(status: int, code: str, message: str, *, fields=None, details=None):
    """Return a response in the API's error shape (JSON) or the GOV.UK error page (HTML)."""
    if wants_json():
        body = {"error": code, "message": message}
        if fields:
            body["fields"] = fields
        if details:
            body["details"] = details
        response = jsonify(body)
        response.status_code = status
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="registry"'
        return response
    title = PAGE_TITLES.get(status, PAGE_TITLES[400])
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _handle_domain_error(error: DomainError):
    db.session.rollback()
    if isinstance(error, AuthenticationRequired) and not wants_json():
        return current_app.login_manager.unauthorized()
    return error_response(
        error.status, error.code, error.message, fields=getattr(error, "fields", None), details=error.details or None
    )


def _flatten_webargs_messages(messages: dict) -> dict[str, list[str]]:
    # webargs nests messages by location ({"json": {"name": [...]}}); clients want field names.
    fields: dict[str, list[str]] = {}

    def walk(value, prefix):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, f"{prefix}.{key}" if prefix else str(key))
        else:
            fields.setdefault(prefix or "_schema", []).extend(str(m) for m in (value if isinstance(value, list) else [value]))

    for location_messages in messages.values():
        walk(location_messages, "")
    return fields


def _size(limit: int | None) -> str:
    if not limit:
        return "a limit set by the server"
    return f"{limit / (1024 * 1024):g} MB" if limit >= 1024 * 1024 else f"{limit / 1024:g} KB"


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _handle_http_exception(error: HTTPException):
    db.session.rollback()
    status = error.code or 500
    if isinstance(error, CSRFError):
        return error_response(
            400,
            "csrf_failed",
            "The form could not be accepted because it was not sent from this service or it had "
            "expired. Go back, reload the page and try again.",
        )
    data = getattr(error, "data", None) or {}
    if status == 422 and "messages" in data:
        return error_response(
            422, "validation_failed", "There is a problem with the data sent.", fields=_flatten_webargs_messages(data["messages"])
        )
    messages = {
        404: "If you typed the web address, check it is correct. If you pasted it, check you copied all of it.",
        405: "This address does not accept that kind of request.",
        413: f"What you sent is larger than the registry accepts (at most {_size(current_app.config.get('MAX_CONTENT_LENGTH'))}), "
             "so nothing was saved. Send less at a time.",
    }
    message = messages.get(status, error.description or PAGE_TITLES.get(status, "There is a problem with the request."))
    response = error_response(status, _slug(error.name), message)
    if status == 405 and wants_json():
        response.headers["Allow"] = ", ".join(error.valid_methods or [])
    return response


def _handle_integrity_error(error: IntegrityError):
    # Services check uniqueness before writing; the database's constraint still wins a race
    # between two requests at the same moment. The loser is told, not shown a server error.
    log.warning("Integrity error on %s %s: %s", request.method, request.path, error.orig)
    db.session.rollback()
    return error_response(
        409,
        "conflict",
        "This clashes with another change made at the same moment, so nothing was saved. Reload and try again.",
    )


def _handle_unexpected(error: Exception):
    log.exception("Unhandled error on %s %s", request.method, request.path)
    db.session.rollback()
    return error_response(
        500,
        "internal_error",
        "Something went wrong. Try again later; if it keeps happening, "
        "tell the registry's administrators.",
    )


def init_app(app: Flask) -> None:
    """Register the handlers for domain errors, HTTP errors and anything unexpected."""
    app.register_error_handler(DomainError, _handle_domain_error)
    app.register_error_handler(HTTPException, _handle_http_exception)
    app.register_error_handler(IntegrityError, _handle_integrity_error)
    app.register_error_handler(Exception, _handle_unexpected)
