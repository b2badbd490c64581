"""Domain errors raised by services; core/error_handlers.py turns them into HTTP responses once."""

from typing import Any


class DomainError(Exception):
    """A refusal the user can act on; its message is written for people and safe to show."""

    status = 400
    code = "bad_request"

    def __init_subclass__(cls, *, status: int | None = None, code: str | None = None, **kwargs: Any) -> None:
        # Each error names its HTTP status and its machine-readable code in its class line.
        super().__init_subclass__(**kwargs)
        cls.status = status or cls.status
        cls.code = code or cls.code

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class AuthenticationRequired(DomainError, status=401, code="unauthenticated"):
    """Nobody is signed in, or the API token is missing or not valid."""


class PermissionDenied(DomainError, status=403, code="forbidden"):
    """The actor is known but may not do this."""


class NotFound(DomainError, status=404, code="not_found"):
    """The thing asked for does not exist (or the actor may not know that it does)."""


class Conflict(DomainError, status=409, code="conflict"):
    """The request clashes with the current state, e.g. a duplicate code."""


class InvalidTransition(Conflict, code="invalid_transition"):
    """A workflow action that the current status does not allow."""


class ValidationFailed(DomainError, status=422, code="validation_failed"):
    """Input that breaks a rule; `fields` maps each field name to its messages."""

    def __init__(self, fields: dict[str, list[str]], message: str = "There is a problem with the data sent.") -> None:
        super().__init__(message)
        self.fields = fields

    @classmethod
    def single(cls, field: str, message: str) -> "ValidationFailed":
        """Return a validation failure about one field."""
        return cls({field: [message]})


class Throttled(DomainError, status=429, code="too_many_requests"):
    """Too many attempts in a short time; try again later."""
