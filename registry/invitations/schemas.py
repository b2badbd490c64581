"""Input schemas for invitations: inviting someone, and joining with a name and password."""

from marshmallow import Schema, fields, validate

from registry.core.flag import Flag
from registry.core.text import SingleLine
from registry.users.schemas import ROLE_CHOICES


class InvitationInputSchema(Schema):
    """An invitation as an administrator enters it: who, to which authority, with which role."""

    email = fields.Email(
        required=True,
        validate=validate.Length(max=254, error="Email address must be 254 characters or fewer"),
        error_messages={
            "required": "Enter the email address of the person to invite",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )
    authority_code = SingleLine(
        required=True,
        validate=validate.Length(max=20, error="Authority code must be 20 characters or fewer"),
        error_messages={"required": "Choose the authority to invite them to"},
    )
    role = SingleLine(
        required=True,
        validate=validate.OneOf(ROLE_CHOICES, error="Select viewer, contributor or approver"),
        error_messages={"required": "Select a role"},
    )
    administrator = Flag(load_default=False)


class JoinSchema(Schema):
    """What an invited person enters to make their account: their name and a password."""

    name = SingleLine(
        required=True,
        validate=validate.Length(min=1, max=200, error="Name must be 200 characters or fewer"),
        error_messages={"required": "Enter your full name"},
    )
    password = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(max=256, error="Password must be 256 characters or fewer"),
        error_messages={"required": "Enter a password"},
    )
