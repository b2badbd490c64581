"""Input schemas for invitations: inviting someone, and joining with a name and password."""

from marshmallow import Schema

from registry.core.flag import Flag
from registry.users.fields import authority_code_field, email_field, name_field, password_field, role_field


class InvitationInputSchema(Schema):
    """An invitation as an administrator enters it: who, to which authority, with which role."""

    email = email_field("Enter the email address of the person to invite")
    authority_code = authority_code_field("Choose the authority to invite them to")
    role = role_field()
    administrator = Flag(load_default=False)


class JoinSchema(Schema):
    """What an invited person enters to make their account: their name and a password."""

    name = name_field("Enter your full name")
    password = password_field("Enter a password")
