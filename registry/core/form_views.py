"""The one shape of a page's form POST: validate it, run its use case in one unit of work, then move on or show it again."""

from collections.abc import Callable, Mapping
from typing import Any

from flask import flash, redirect
from flask.typing import ResponseReturnValue
from marshmallow import Schema

from .errors import DomainError, ValidationFailed
from .forms import FormState, load_form
from .unit_of_work import unit_of_work


def handle_form(
    schema: Schema,
    use_case: Callable[[dict], Any],
    *,
    saved: Callable[[Any], ResponseReturnValue],
    invalid: Callable[[FormState], ResponseReturnValue],
    refusals: Mapping[type[DomainError], Callable[[FormState], ResponseReturnValue]] | None = None,
    dates: tuple[str, ...] = (),
    anchors: dict[str, str] | None = None,
) -> ResponseReturnValue:
    """Run the use case on the posted form's data and answer saved(its result), or invalid(the form with what is wrong).

    The use case runs in one unit of work: anything it raises rolls all of it back. The
    schema's errors and the use case's ValidationFailed both come back as the form's errors.
    `refusals` answers, by type, the other domain errors that the page shows itself (a
    conflict with someone else's change, say); any other error goes to the error pages.

    Pass the use case as the handler's own reference to its service, a functools.partial
    of it or a function of the views module: a lambda would hide from the structural test
    (tests/core/test_writes_go_through_services.py) which use case the page reaches.
    """
    data, form = load_form(schema, dates=dates, anchors=anchors)
    if data is None:
        return invalid(form)
    refusals = refusals or {}
    try:
        with unit_of_work():
            result = use_case(data)
    except ValidationFailed as failure:
        return invalid(form.with_failure(failure))
    except tuple(refusals) as error:
        return next(answer for kind, answer in refusals.items() if isinstance(error, kind))(form)
    return saved(result)


def redirect_with_banner(location: str, message: str) -> ResponseReturnValue:
    """Redirect to the location, which shows the message in a success banner."""
    flash(message, "success")
    return redirect(location)
