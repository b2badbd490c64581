"""Input schemas for password resets: the address to send a link to, and the new password."""

from marshmallow import Schema, fields, validate


class ResetRequestSchema(Schema):
    """The email address to send a reset link to."""

    email = fields.Email(
        required=True,
        validate=validate.Length(max=254, error="Email address must be 254 characters or fewer"),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )


class NewPasswordSchema(Schema):
    """A new password, chosen from a reset link."""

    password = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(max=256, error="Password must be 256 characters or fewer"),
        error_messages={"required": "Enter a new password"},
    )
