"""Bounds on numbers and dates that arrive in requests, so none can overflow a database integer or a date."""

from datetime import date

from marshmallow import validate
from werkzeug.routing import IntegerConverter

# The largest value of a 32-bit signed integer, the type of every id column.
LARGEST_ID = 2**31 - 1
# Nobody pages this far; beyond it, offsets stop making sense.
LARGEST_PAGE = 10_000

# Agreements' dates stay within these: "31/12/9999" for "never" would overflow the
# arithmetic of recurring due dates and calendar events.
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2199, 12, 31)

ID = validate.Range(min=1, max=LARGEST_ID, error="Must be a whole number between {min} and {max}")
PAGE = validate.Range(min=1, max=LARGEST_PAGE, error="Page must be between {min} and {max}")


def plausible_date(what: str) -> validate.Range:
    """A date between 1900 and 2199, with a message naming the date, e.g. "The due date"."""
    return validate.Range(min=EARLIEST_DATE, max=LATEST_DATE, error=f"{what} must be between 1900 and 2199")


class BoundedIntegerConverter(IntegerConverter):
    """The `int` URL converter, refusing (as not found) numbers no id can be."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)
