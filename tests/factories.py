"""Small keyword-only factories for test data; each commits, so requests can see what it made."""

import itertools

from registry.authorities.models import Authority
from registry.core.actors import COMMAND_LINE
from registry.extensions import db
from registry.users import services as user_services
from registry.users.models import User
from registry.users.roles import Role

TEST_PASSWORD = "a-long-test-passphrase"
_numbers = itertools.count(1)


def make_authority(*, code: str | None = None, name: str | None = None, type: str = "UA", **values) -> Authority:
    """Create a council (a unitary authority unless told otherwise)."""
    number = next(_numbers)
    code = code or f"T{number:03d}"
    authority = Authority(
        code=code,
        name=name or f"Test Council {number}",
        short_name=values.pop("short_name", None) or name or f"Test {number}",
        type=type,
        **values,
    )
    db.session.add(authority)
    db.session.commit()
    return authority


def make_user(
    *,
    email: str | None = None,
    name: str | None = None,
    system_role: str | None = None,
    memberships: dict[Authority, str] | None = None,
    password: str = TEST_PASSWORD,
) -> User:
    """Create a user through the real service, with roles given as {authority: "approver"}."""
    number = next(_numbers)
    user = user_services.create_user(
        COMMAND_LINE,
        email=email or f"user{number}@example.org",
        name=name or f"Test User {number}",
        password=password,
        system_role=system_role,
    )
    for authority, role in (memberships or {}).items():
        user_services.grant_membership(COMMAND_LINE, user, authority, Role(role))
    db.session.commit()
    return user


def make_api_token(user: User, name: str = "test token") -> str:
    """Create an API token for the user and return its secret."""
    _, secret = user_services.create_api_token(user, name)
    db.session.commit()
    return secret
