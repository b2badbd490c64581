"""Input schemas for reminders: a person's choice of reminders, and the outbox page's filters."""

from marshmallow import Schema, fields, post_load, validate

from registry.core.search_fields import page_number_field
from registry.core.text import SingleLine

from .queries import PREFERENCE_KINDS


class PreferencesInputSchema(Schema):
    """Which reminders a person wants, as the ticked boxes of the preferences form."""

    reminders = fields.List(
        SingleLine(),
        load_default=list,
        validate=validate.ContainsOnly(PREFERENCE_KINDS, error="Select reminders from the list"),
        metadata={"description": "Any of: " + ", ".join(PREFERENCE_KINDS) + ". Leaving one out turns it off."},
    )

    @post_load
    def as_flags(self, data, **kwargs) -> dict[str, bool]:
        """Return {"reviews": bool, "obligations": bool, "overdue": bool}."""
        return {kind: kind in data["reminders"] for kind in PREFERENCE_KINDS}


class OutboxQuerySchema(Schema):
    """Filters for the outbox page."""

    unsent = fields.Boolean(
        load_default=False,
        truthy={"true"},
        falsy={"false", ""},
        error_messages={"invalid": "Select unsent only, or leave it unticked"},
    )
    page = page_number_field()
