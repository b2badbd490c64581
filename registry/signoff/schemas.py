"""Input and output schemas for sign-off: a nudge, where each party stands, and the sign-off speed pages' query."""

from marshmallow import Schema, fields, validate

from registry.core.limits import PAGE
from registry.core.text import SingleLine

AUTHORITY_NEEDED = "Choose the authority to nudge"


class NudgeInputSchema(Schema):
    """Which party to nudge, by authority code: the same for the page's button and the API's body."""

    authority_code = SingleLine(
        required=True, validate=validate.Length(max=20, error="An authority code is at most {max} characters"),
        error_messages={"required": AUTHORITY_NEEDED},
        metadata={"description": "The code of the party to nudge, e.g. BRD."},
    )


class NudgedSchema(Schema):
    """A nudge sent."""

    reference = fields.String()
    authority_code = fields.String(attribute="authority.code")
    authority_name = fields.String(attribute="authority.name")
    version = fields.Integer(attribute="version_number")
    nudged_on = fields.Date()
    next_nudge_on = fields.Date(metadata={"description": "The first day this party may be nudged again about this version."})
    told = fields.Integer(metadata={"description": "How many of the party's approvers were told."})


class StandingSchema(Schema):
    """Where one party stands on the proposed version."""

    authority_code = fields.String(attribute="authority.code")
    authority_name = fields.String(attribute="authority.name")
    approved_on = fields.Date(allow_none=True, metadata={"description": "None while it is still to approve."})
    waiting_days = fields.Integer(allow_none=True, metadata={"description": "Days since the version was sent, while still to approve."})
    last_nudged_on = fields.Date(allow_none=True)
    next_nudge_on = fields.Date(allow_none=True, metadata={"description": "The first day it may be nudged again (None: now)."})
    reminded_on = fields.Date(allow_none=True, metadata={"description": "When the registry reminded its approvers."})
    escalated_on = fields.Date(allow_none=True, metadata={"description": "When the registry told its administrators."})
    you_may_nudge = fields.Boolean(metadata={"description": "Whether you may nudge it now."})


class SignOffSchema(Schema):
    """Who still has to approve a proposed version, and for how long."""

    reference = fields.String()
    version = fields.Integer(allow_none=True,
                             metadata={"description": "The proposed version; None when no version is waiting for approval."})
    submitted_on = fields.Date(allow_none=True)
    parties = fields.List(fields.Nested(StandingSchema), metadata={"description": "Those still to approve first."})


class PageQuerySchema(Schema):
    """Which page of the waiting agreements to show."""

    page = fields.Integer(load_default=1, validate=PAGE, error_messages={"invalid": "Page must be a whole number"})
