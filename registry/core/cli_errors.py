"""Domain errors for the command line: the same messages as the web, as a failed command."""

from collections.abc import Callable
from functools import wraps

import click

from .errors import DomainError


def describe(error: DomainError) -> str:
    """Return the error's message with any field problems, on one line."""
    fields = getattr(error, "fields", None) or {}
    problems = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in fields.items())
    return f"{error.message} ({problems})" if problems else error.message


def reports_domain_errors(command: Callable) -> Callable:
    """Make a CLI command exit with status 1 and the error's message on a domain error."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except DomainError as error:
            raise click.ClickException(describe(error)) from None

    return wrapper
