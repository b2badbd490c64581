"""Input and output schemas for users, memberships and API tokens."""

from marshmallow import Schema, fields, pre_load, validate

from registry.core.text import SingleLine

from .roles import Role, SystemRole

ROLE_CHOICES = [role.value for role in Role]
SYSTEM_ROLE_CHOICES = [role.value for role in SystemRole]


def _system_role_field() -> fields.String:
    return SingleLine(
        load_default=None,
        validate=validate.OneOf(SYSTEM_ROLE_CHOICES, error="Select auditor, administrator or none"),
    )


class _NoSystemRoleMeansNone:
    """Treat a system role sent as "" or "none" as no system role."""

    @pre_load
    def _no_role_means_none(self, data, **kwargs):
        if isinstance(data, dict) and data.get("system_role") in ("", "none"):
            data = {k: v for k, v in data.items() if k != "system_role"}
        return data


class SystemRoleSchema(_NoSystemRoleMeansNone, Schema):
    """A change of system role: auditor, admin, or none."""

    system_role = _system_role_field()


class NewUserSchema(_NoSystemRoleMeansNone, Schema):
    """A new account as an administrator enters it."""

    name = SingleLine(
        required=True,
        validate=validate.Length(min=1, max=200, error="Name must be 200 characters or fewer"),
        error_messages={"required": "Enter the person's full name"},
    )
    email = fields.Email(
        required=True,
        validate=validate.Length(max=254, error="Email address must be 254 characters or fewer"),
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )
    password = fields.String(
        required=True,
        load_only=True,
        error_messages={"required": "Enter a password for the account"},
        metadata={"description": "At least 12 characters, not a commonly used password."},
    )
    system_role = _system_role_field()


class MembershipInputSchema(Schema):
    """A membership to grant: an authority and a role there."""

    authority_code = SingleLine(
        required=True,
        validate=validate.Length(max=20, error="Authority code must be 20 characters or fewer"),
        error_messages={"required": "Enter the code of the authority, like HPL"},
    )
    role = SingleLine(
        required=True,
        validate=validate.OneOf(ROLE_CHOICES, error="Select viewer, contributor or approver"),
        error_messages={"required": "Select a role"},
    )


class AdministratorInputSchema(Schema):
    """An authority to make someone an administrator for.

    Its form sits on the same page as the role form, so its field has a name of its own.
    """

    authority_code = SingleLine(
        required=True,
        data_key="administrator_authority_code",
        validate=validate.Length(max=20, error="Authority code must be 20 characters or fewer"),
        error_messages={"required": "Enter the code of the authority, like HPL"},
    )


def _password_field(required_message: str) -> fields.String:
    return fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(max=256, error="Password must be 256 characters or fewer"),
        error_messages={"required": required_message},
    )


class PasswordChangeSchema(Schema):
    """A change of one's own password: the current one, and the new one."""

    current_password = _password_field("Enter your current password")
    new_password = _password_field("Enter a new password")


class ApiTokenInputSchema(Schema):
    """A new API token: a name to tell it apart from others."""

    name = SingleLine(
        required=True,
        validate=validate.Length(min=1, max=100, error="Name must be 100 characters or fewer"),
        error_messages={"required": "Enter a name for the token, like the program that will use it"},
    )


class MembershipSchema(Schema):
    """A user's role for one authority."""

    authority_code = fields.String(attribute="authority.code")
    authority_name = fields.String(attribute="authority.name")
    role = fields.String()


class AdministeredSchema(Schema):
    """An authority whose people the user administers."""

    authority_code = fields.String(attribute="authority.code")
    authority_name = fields.String(attribute="authority.name")


class UserSchema(Schema):
    """A user as the API shows them."""

    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    system_role = fields.String(allow_none=True)
    active = fields.Boolean()
    memberships = fields.List(fields.Nested(MembershipSchema))
    administers = fields.List(
        fields.Nested(AdministeredSchema),
        attribute="administrator_grants",
        metadata={"description": "The authorities whose people the user administers: invites, roles, deactivation. "
                                 "Not a role: it gives no access to agreements."},
    )
