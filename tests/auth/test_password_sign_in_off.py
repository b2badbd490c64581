"""Turning password sign-in off for an authority: who may, that it is audited, and that its people are then refused a password."""

import pytest
import sqlalchemy as sa

from registry.auditlog.models import AuditEntry
from registry.auth import queries, services
from registry.core.errors import PermissionDenied
from registry.extensions import db
from registry.users.actors import COMMAND_LINE
from tests.conftest import post_form
from tests.factories import TEST_PASSWORD, make_authority, make_user
from tests.mail import messages_to, token_in


@pytest.fixture
def leeds(app):
    return make_authority(code="LDS", name="Leeds City Council")


def _turn_off(authority):
    services.set_password_sign_in(COMMAND_LINE, authority, allowed=False)
    db.session.commit()


def _password_sign_in(client, user):
    return post_form(client, "/sign-in", {"email": user.email, "password": TEST_PASSWORD})


def test_authority_administrator_turns_password_sign_in_off_and_it_is_audited(signed_in_client, leeds):
    lena = make_user(administers=(leeds,))

    response = post_form(signed_in_client(lena), "/authorities/LDS/password-sign-in", {"allowed": "false"})

    assert response.status_code == 302
    assert queries.password_sign_in_off(leeds)
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "authority.password_sign_in"))
    assert entry.actor_user_id == lena.id and entry.object_ref == "LDS"


def test_system_administrator_turns_it_back_on(signed_in_client, admin, leeds):
    _turn_off(leeds)

    response = post_form(signed_in_client(admin), "/authorities/LDS/password-sign-in", {"allowed": "true"})

    assert response.status_code == 302
    assert not queries.password_sign_in_off(leeds)


def test_administrator_of_another_authority_cannot_change_it(signed_in_client, leeds):
    york = make_authority(code="YRK", name="City of York Council")
    yasmin = make_user(administers=(york,))

    assert signed_in_client(yasmin).get("/authorities/LDS/password-sign-in").status_code == 403
    response = post_form(signed_in_client(yasmin), "/authorities/LDS/password-sign-in", {"allowed": "false"},
                         from_page="/authorities/YRK/password-sign-in")
    assert response.status_code == 403
    assert not queries.password_sign_in_off(leeds)


def test_a_member_without_administration_cannot_change_it(leeds):
    approver = make_user(memberships={leeds: "approver"})

    with pytest.raises(PermissionDenied):
        services.set_password_sign_in(approver, leeds, allowed=False)


def test_choosing_nothing_is_a_validation_error(signed_in_client, admin, leeds):
    response = post_form(signed_in_client(admin), "/authorities/LDS/password-sign-in", {})

    assert response.status_code == 422
    assert "Choose whether people can sign in with a password" in response.get_data(as_text=True)


def test_its_people_are_refused_a_password_with_a_clear_message(client, leeds):
    nadia = make_user(memberships={leeds: "contributor"})
    _turn_off(leeds)

    response = _password_sign_in(client, nadia)

    assert response.status_code == 403
    assert "sign in with its account instead" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


def test_a_wrong_password_still_gets_the_usual_answer(client, leeds):
    nadia = make_user(memberships={leeds: "contributor"})
    _turn_off(leeds)

    response = post_form(client, "/sign-in", {"email": nadia.email, "password": "not-the-password-at-all"})

    assert response.status_code == 422
    assert "sign in with its account instead" not in response.get_data(as_text=True)


def test_people_of_other_authorities_still_sign_in_with_a_password(client, leeds):
    york = make_authority(code="YRK", name="City of York Council")
    yusuf = make_user(memberships={york: "viewer"})
    _turn_off(leeds)

    assert _password_sign_in(client, yusuf).status_code == 302


def test_a_reset_link_does_not_get_round_it(client, leeds):
    nadia = make_user(email="nadia@leeds.example.org", memberships={leeds: "contributor"})
    _turn_off(leeds)
    post_form(client, "/forgotten-password", {"email": nadia.email})
    token = token_in(messages_to(nadia.email)[-1].body, "/reset-password/")

    response = post_form(client, f"/reset-password/{token}", {"password": "plum-lantern-harbour-seven"})

    assert response.status_code == 403
    assert client.get("/dashboard").status_code == 302


def test_the_authority_page_shows_its_administrators_how_people_sign_in(signed_in_client, leeds):
    lena = make_user(administers=(leeds,))
    viewer = make_user(memberships={leeds: "viewer"})
    _turn_off(leeds)

    page = signed_in_client(lena).get("/authorities/LDS").get_data(as_text=True)

    assert "can sign in only with their organisation" in page
    assert "/authorities/LDS/password-sign-in" in page
    assert "/authorities/LDS/password-sign-in" not in signed_in_client(viewer).get("/authorities/LDS").get_data(as_text=True)
