"""Input schema for an authority's sign-in setting."""

from marshmallow import Schema

from registry.core.flag import Flag


class PasswordSignInSchema(Schema):
    """Whether the authority's people may still sign in with a password."""

    allowed = Flag(required=True, error_messages={"required": "Choose whether people can sign in with a password"})
