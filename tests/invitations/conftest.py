"""Fixtures for invitations: Leeds with an administrator, and a way to invite someone and read the link they were sent."""

import pytest

from registry.extensions import db
from registry.invitations import services
from registry.users.roles import Role
from tests.factories import make_authority, make_user
from tests.mail import messages_to, token_in


@pytest.fixture
def leeds(app):
    return make_authority(code="LDS", name="Leeds City Council")


@pytest.fixture
def leeds_admin(leeds):
    return make_user(name="Lena Admin", email="lena@leeds.example.org", administers=(leeds,))


def invite(actor, authority, email="nadia@leeds.example.org", role=Role.CONTRIBUTOR, administrator=False):
    """Invite someone through the service, commit, and return (invitation, the token in the link sent)."""
    invitation = services.invite(actor, email=email, authority=authority, role=role, administrator=administrator).invitation
    db.session.commit()
    return invitation, token_in(messages_to(email)[-1].body, "/join/")
