"""Input schemas for the outbox pages: the list's filters."""

from marshmallow import Schema, fields

from registry.core.search_fields import page_number_field


class OutboxQuerySchema(Schema):
    """Filters for the outbox page."""

    unsent = fields.Boolean(
        load_default=False,
        truthy={"true"},
        falsy={"false", ""},
        error_messages={"invalid": "Select unsent only, or leave it unticked"},
    )
    page = page_number_field()
