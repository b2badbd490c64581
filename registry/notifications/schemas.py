"""Input and output schemas for notifications: the inbox's filters, a notification, a person's choices."""

from marshmallow import Schema, fields, validate

from registry.core.limits import PAGE
from registry.core.text import SingleLine

from .kinds import DELIVERIES, KINDS


class InboxQuerySchema(Schema):
    """Filters for the inbox page and the API's list."""

    unread = fields.Boolean(
        load_default=False, truthy={"true"}, falsy={"false", ""},
        error_messages={"invalid": "Select unread only, or leave it unticked"},
        metadata={"description": "true: only the unread ones."},
    )
    page = fields.Integer(load_default=1, validate=PAGE, error_messages={"invalid": "Page must be a whole number"})


class NotificationSchema(Schema):
    """One notification, as the API shows it."""

    id = fields.Integer()
    kind = fields.String(metadata={"description": "One of: " + ", ".join(kind.name for kind in KINDS)})
    title = fields.String()
    body = fields.String()
    link = fields.String(metadata={"description": "The registry page to act on, as a path."})
    agreement_reference = fields.String(allow_none=True)
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)
    unread = fields.Boolean(attribute="is_unread")


class InboxPageSchema(Schema):
    """A page of notifications, newest first, with the unread count."""

    items = fields.List(fields.Nested(NotificationSchema))
    total = fields.Integer()
    page = fields.Integer(attribute="number")
    pages = fields.Integer()
    unread = fields.Integer()


class MarkedReadSchema(Schema):
    """How many notifications marking all read changed."""

    marked_read = fields.Integer()


def _choice(kind) -> fields.Field:
    return SingleLine(
        validate=validate.OneOf(kind.choices, error=f"Choose how you want to hear of {kind.label.lower()}"),
        metadata={"description": f"{kind.label}: " + ", ".join(f"{c} ({DELIVERIES[c].lower()})" for c in kind.choices)},
    )


# One optional field per kind, from the kinds table: a kind left out keeps its choice.
PreferencesInputSchema = Schema.from_dict({kind.name: _choice(kind) for kind in KINDS}, name="PreferencesInputSchema")
PreferencesSchema = Schema.from_dict({kind.name: fields.String() for kind in KINDS}, name="PreferencesSchema")
