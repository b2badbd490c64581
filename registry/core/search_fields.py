"""The fields every list's query schema shares: the search box and the page number."""

from marshmallow import fields, validate

from .limits import PAGE
from .text import SingleLine


def search_text(description: str | None = None) -> SingleLine:
    """Return a search box's field: one line of up to 100 characters, empty when left out."""
    return SingleLine(
        load_default="",
        validate=validate.Length(max=100, error="Search for 100 characters or fewer"),
        metadata={"description": description} if description else {},
    )


def page_number_field() -> fields.Integer:
    """Return the page number's field: 1 when left out, refused with a message when it is not a whole number."""
    return fields.Integer(load_default=1, validate=PAGE, error_messages={"invalid": "Page must be a whole number"})
