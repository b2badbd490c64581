"""The invited person follows the link: chooses a name and password and is signed in with the role; a link that cannot be used says why, and whom to ask."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from registry.core.db import utcnow
from registry.core.errors import PermissionDenied
from registry.extensions import db
from registry.invitations import services
from registry.users import services as user_services
from registry.users.models import User
from registry.users.queries import user_by_email
from registry.users.roles import Role
from tests.audit.helpers import entry_bodies
from tests.conftest import post_form, sign_in
from tests.factories import make_user
from tests.snapshots import database_snapshot

from .conftest import invite

JOIN = {"name": "Nadia Newstarter", "password": "winter-orchard-lantern"}


def _join(client, token, data=JOIN):
    return post_form(client, f"/join/{token}", data)


def test_the_link_shows_what_the_invitation_offers_and_a_form(client, leeds, leeds_admin):
    _, token = invite(leeds_admin, leeds)

    response = client.get(f"/join/{token}")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "invited to be contributor for Leeds City Council" in html and "nadia@leeds.example.org" in html
    assert 'name="password"' in html and 'autocomplete="new-password"' in html


def test_joining_makes_the_account_with_the_role_and_signs_the_person_in(client, leeds, leeds_admin):
    _, token = invite(leeds_admin, leeds)

    response = _join(client, token)

    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    user = user_by_email("nadia@leeds.example.org")
    assert user.name == "Nadia Newstarter" and user.role_in(leeds) is Role.CONTRIBUTOR
    assert user.password_hash.startswith("$argon2id$")
    page = client.get("/account")
    assert page.status_code == 200 and "Contributor for Leeds City Council" in page.get_data(as_text=True)


def test_an_invitation_to_administer_makes_them_an_administrator_on_joining(client, leeds, leeds_admin):
    _, token = invite(leeds_admin, leeds, role=Role.VIEWER, administrator=True)

    _join(client, token)

    user = user_by_email("nadia@leeds.example.org")
    assert user.administers(leeds) and user.role_in(leeds) is Role.VIEWER


def test_a_link_works_once(client, app, leeds, leeds_admin):
    _, token = invite(leeds_admin, leeds)
    _join(client, token)

    response = app.test_client().get(f"/join/{token}")

    assert response.status_code == 410
    assert "This invitation has already been used" in response.get_data(as_text=True)


def test_posting_to_a_used_link_creates_nothing(app, client, leeds, leeds_admin):
    _, token = invite(leeds_admin, leeds)
    _join(client, token)
    before = database_snapshot()

    response = post_form(app.test_client(), f"/join/{token}", {"name": "Someone Else", "password": "another-long-passphrase"},
                         from_page="/sign-in")

    assert response.status_code == 410
    assert database_snapshot() == before


def test_an_expired_link_says_so_and_whom_to_ask(client, leeds, leeds_admin):
    invitation, token = invite(leeds_admin, leeds)
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    response = client.get(f"/join/{token}")

    html = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "The invitation expired" in html
    assert "Ask Lena Admin or another administrator for Leeds City Council to send you a new invitation" in html


def test_a_cancelled_link_says_so_and_whom_to_ask(client, leeds, leeds_admin):
    invitation, token = invite(leeds_admin, leeds)
    services.cancel(leeds_admin, invitation)
    db.session.commit()

    response = client.get(f"/join/{token}")

    assert response.status_code == 410
    assert "The invitation was cancelled" in response.get_data(as_text=True)


def test_an_unknown_link_is_not_found_and_says_whom_to_ask(client, leeds):
    response = client.get("/join/not-a-real-token")
    assert response.status_code == 404
    assert "Ask whoever invited you" in response.get_data(as_text=True)


def test_a_weak_password_is_refused_and_nothing_is_made(client, leeds, leeds_admin):
    _, token = invite(leeds_admin, leeds)
    before = database_snapshot()

    response = _join(client, token, {"name": "Nadia Newstarter", "password": "password1234"})

    assert response.status_code == 422
    assert 'href="#password">Password is too easy to guess' in response.get_data(as_text=True)
    assert database_snapshot() == before


def test_a_short_password_is_refused(client, leeds, leeds_admin):
    _, token = invite(leeds_admin, leeds)
    response = _join(client, token, {"name": "Nadia Newstarter", "password": "short-one"})
    assert 'href="#password">Password must be 12 characters or more' in response.get_data(as_text=True)


def test_an_empty_form_says_what_is_missing(client, leeds, leeds_admin):
    _, token = invite(leeds_admin, leeds)
    html = _join(client, token, {}).get_data(as_text=True)
    assert "Enter your full name" in html and "Enter a password" in html


def test_someone_signed_in_elsewhere_is_signed_out_when_the_invited_person_joins(app, signed_in_client, leeds, leeds_admin):
    _, token = invite(leeds_admin, leeds)
    client = signed_in_client(leeds_admin)

    _join(client, token)

    assert "Nadia Newstarter" in client.get("/account").get_data(as_text=True)


def test_a_person_who_has_an_account_by_now_signs_in_to_accept(client, leeds, leeds_admin):
    _, token = invite(leeds_admin, leeds)
    make_user(email="nadia@leeds.example.org")

    html = client.get(f"/join/{token}").get_data(as_text=True)

    assert "There is already an account" in html
    assert f'href="/sign-in?next=/join/{token}"' in html


def test_a_signed_in_person_with_the_address_accepts_with_one_click(signed_in_client, leeds, leeds_admin):
    _, token = invite(leeds_admin, leeds)
    person = make_user(email="nadia@leeds.example.org")
    client = signed_in_client(person)

    response = post_form(client, f"/join/{token}/accept", from_page=f"/join/{token}")

    assert response.status_code == 302
    db.session.refresh(person)
    assert person.role_in(leeds) is Role.CONTRIBUTOR


def test_someone_else_signed_in_cannot_accept_the_invitation(signed_in_client, leeds, leeds_admin):
    _, token = invite(leeds_admin, leeds)
    make_user(email="nadia@leeds.example.org")
    client = signed_in_client(make_user(email="intruder@example.org"))
    assert "but this invitation is for nadia@leeds.example.org" in client.get(f"/join/{token}").get_data(as_text=True)
    before = database_snapshot()

    response = post_form(client, f"/join/{token}/accept", from_page=f"/join/{token}")

    assert response.status_code == 403
    assert database_snapshot() == before


def test_a_deactivated_account_cannot_use_the_link(client, leeds, leeds_admin, admin):
    _, token = invite(leeds_admin, leeds)
    person = make_user(email="nadia@leeds.example.org")
    user_services.deactivate_user(admin, person)
    db.session.commit()

    response = client.get(f"/join/{token}")

    assert response.status_code == 410
    assert "has been deactivated" in response.get_data(as_text=True)


def test_accepting_never_lowers_a_role_given_meanwhile(leeds, leeds_admin, admin):
    invitation, _ = invite(leeds_admin, leeds, role=Role.VIEWER)
    person = make_user(email="nadia@leeds.example.org", memberships={leeds: "approver"})

    services.accept(invitation, person)

    assert person.role_in(leeds) is Role.APPROVER


def test_accepting_is_refused_for_another_address(leeds, leeds_admin):
    invitation, _ = invite(leeds_admin, leeds)
    with pytest.raises(PermissionDenied):
        services.accept(invitation, make_user(email="someone.else@example.org"))


def test_an_invitation_is_accepted_once_even_by_two_at_once(leeds, leeds_admin):
    from registry.core.errors import Conflict

    invitation, _ = invite(leeds_admin, leeds)
    person = make_user(email="nadia@leeds.example.org")
    db.session.execute(sa.update(invitation.__class__).values(accepted_at=utcnow()))  # the other acceptance, just committed

    with pytest.raises(Conflict):
        services.accept(invitation, person)


def test_joining_is_audited_by_id_without_name_or_address(client, leeds, leeds_admin):
    invitation, token = invite(leeds_admin, leeds)
    _join(client, token)
    user = user_by_email("nadia@leeds.example.org")

    entries = {body["action"]: body for body in entry_bodies()}

    accepted = entries["invitation.accept"]
    assert accepted["actor"] == {"type": "user", "id": user.id}
    assert accepted["data"]["authority"] == "LDS" and accepted["data"]["role"] == "contributor"
    assert entries["user.sign_in"]["data"]["via"] == "invitation"
    assert entries["user.create"]["data"]["invitation"] == invitation.id
    text = str(entry_bodies()).lower()
    assert "nadia" not in text and "newstarter" not in text


def test_the_new_account_is_one_and_only_one(client, leeds, leeds_admin):
    _, token = invite(leeds_admin, leeds)
    _join(client, token)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.email == "nadia@leeds.example.org")) == 1


def test_after_joining_the_person_can_sign_in_with_their_password(app, client, leeds, leeds_admin):
    _, token = invite(leeds_admin, leeds)
    _join(client, token)
    sign_in(app.test_client(), user_by_email("nadia@leeds.example.org"), JOIN["password"])
