"""Input schemas for signing in."""

from marshmallow import Schema, fields, validate

from registry.core.text import SingleLine


class SignInSchema(Schema):
    """The sign-in form: an email address and a password."""

    email = SingleLine(
        required=True,
        validate=validate.Length(max=254, error="Email address must be 254 characters or fewer"),
        error_messages={"required": "Enter your email address"},
    )
    password = fields.String(
        required=True,
        validate=validate.Length(max=256, error="Password must be 256 characters or fewer"),
        error_messages={"required": "Enter your password"},
    )
