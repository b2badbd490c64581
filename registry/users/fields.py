"""The fields that every form about people shares, each with its words said once.

A person's name, email address, password, an authority's code and a role appear in the
forms for making accounts, inviting, joining, resetting and changing passwords, and granting
roles; only the words asking for them differ.
"""

from marshmallow import fields, validate

from registry.core.text import SingleLine

from .roles import Role

ROLE_CHOICES = [role.value for role in Role]


def name_field(required: str) -> SingleLine:
    """A person's full name."""
    return SingleLine(
        required=True,
        validate=validate.Length(min=1, max=200, error="Name must be 200 characters or fewer"),
        error_messages={"required": required},
    )


def email_field(required: str) -> fields.Email:
    """An email address."""
    return fields.Email(
        required=True,
        validate=validate.Length(max=254, error="Email address must be 254 characters or fewer"),
        error_messages={
            "required": required,
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )


def password_field(required: str, **extra) -> fields.String:
    """A password as typed: never sent back out, and long enough for a passphrase but no longer."""
    return fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(max=256, error="Password must be 256 characters or fewer"),
        error_messages={"required": required},
        **extra,
    )


def authority_code_field(required: str, **extra) -> SingleLine:
    """The code of an authority, looked up by the service that uses it."""
    return SingleLine(
        required=True,
        validate=validate.Length(max=20, error="Authority code must be 20 characters or fewer"),
        error_messages={"required": required},
        **extra,
    )


def role_field() -> SingleLine:
    """A role at an authority: viewer, contributor or approver."""
    return SingleLine(
        required=True,
        validate=validate.OneOf(ROLE_CHOICES, error="Select viewer, contributor or approver"),
        error_messages={"required": "Select a role"},
    )
