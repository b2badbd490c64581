"""Domain errors raised by services; core/error_handlers.py turns them into HTTP responses once."""

from typing import Any


class DomainError(Exception):
    """A refusal the user can act on; its message is written for people and safe to show."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class AuthenticationRequired(DomainError):
    """Nobody is signed in, or the API token is missing or not valid."""

    status = 401
    code = "unauthenticated"


class PermissionDenied(DomainError):
    """The actor is known but may not do this."""

    status = 403
    code = "forbidden"


class NotFound(DomainError):
    """The thing asked for does not exist (or the actor may not know that it does)."""

    status = 404
    code = "not_found"


class Conflict(DomainError):
    """The request clashes with the current state, e.g. a duplicate code."""

    status = 409
    code = "conflict"


class InvalidTransition(Conflict):
    """A workflow action that the current status does not allow."""

    code = "invalid_transition"


class ValidationFailed(DomainError):
    """Input that breaks a rule; `fields` maps each field name to its messages."""

    status = 422
    code = "validation_failed"

    def __init__(self, fields: dict[str, list[str]], message: str = "There is a problem with the data sent.") -> None:
        super().__init__(message)
        self.fields = fields

    @classmethod
    def single(cls, field: str, message: str) -> "ValidationFailed":
        """Return a validation failure about one field."""
        return cls({field: [message]})


class Throttled(DomainError):
    """Too many attempts in a short time; try again later."""

    status = 429
    code = "too_many_requests"
