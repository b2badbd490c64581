"""Bounds on numbers that arrive in requests, so none can overflow a database integer."""

from marshmallow import validate
from werkzeug.routing import IntegerConverter

# The largest value of a 32-bit signed integer, the type of every id column.
LARGEST_ID = 2**31 - 1
# Nobody pages this far; beyond it, offsets stop making sense.
LARGEST_PAGE = 10_000

ID = validate.Range(min=1, max=LARGEST_ID, error="Must be a whole number between {min} and {max}")
PAGE = validate.Range(min=1, max=LARGEST_PAGE, error="Page must be between {min} and {max}")


class BoundedIntegerConverter(IntegerConverter):
    """The `int` URL converter, refusing (as not found) numbers no id can be."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)
