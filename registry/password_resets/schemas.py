"""Input schemas for password resets: the address to send a link to, and the new password."""

from marshmallow import Schema

from registry.users.fields import email_field, password_field


class ResetRequestSchema(Schema):
    """The email address to send a reset link to."""

    email = email_field("Enter your email address")


class NewPasswordSchema(Schema):
    """A new password, chosen from a reset link."""

    password = password_field("Enter a new password")
