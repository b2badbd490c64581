"""Finding the one row a URL names, or saying plainly that there is none (404)."""

from collections.abc import Callable

import sqlalchemy as sa

from registry.extensions import db

from .errors import NotFound


def get_or_not_found(model, key, missing: str, *, belongs: Callable[[object], bool] | None = None):
    """Return the row of the model with this primary key, or raise NotFound saying `missing`.

    With `belongs`, a row for which it is false is missing too: someone else's token or feed
    is answered exactly as one that does not exist, so that ids tell nothing.
    """
    row = db.session.get(model, key)
    if row is None or (belongs is not None and not belongs(row)):
        raise NotFound(missing)
    return row


def one_or_not_found(statement: sa.Select, missing: str):
    """Return the one row the statement selects, or raise NotFound saying `missing`."""
    row = db.session.scalar(statement)
    if row is None:
        raise NotFound(missing)
    return row
