"""Input and output schemas for users, memberships and API tokens."""

from marshmallow import Schema, fields, pre_load, validate

from registry.core.text import SingleLine

from .fields import authority_code_field, email_field, name_field, password_field, role_field
from .roles import SystemRole

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

    name = name_field("Enter the person's full name")
    email = email_field("Enter the person's email address")
    password = password_field(
        "Enter a password for the account",
        metadata={"description": "At least 12 characters, not a commonly used password."},
    )
    system_role = _system_role_field()


class MembershipInputSchema(Schema):
    """A membership to grant: an authority and a role there."""

    authority_code = authority_code_field("Enter the code of the authority, like HPL")
    role = role_field()


class AdministratorInputSchema(Schema):
    """An authority to make someone an administrator for.

    Its form sits on the same page as the role form, so its field has a name of its own.
    """

    authority_code = authority_code_field(
        "Enter the code of the authority, like HPL", data_key="administrator_authority_code"
    )


class PasswordChangeSchema(Schema):
    """A change of one's own password: the current one, and the new one."""

    current_password = password_field("Enter your current password")
    new_password = password_field("Enter a new password")


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
