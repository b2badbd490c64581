"""What the header's search box sends."""

from marshmallow import Schema

from registry.core.search_fields import search_text


class SearchQuerySchema(Schema):
    """The words or reference typed in the header's search box."""

    q = search_text("A reference, or words of a title or name.")
