"""Administrators invite people by email, send invitations again and cancel them; an address with an account gets the role at once."""

import hashlib

import pytest
import sqlalchemy as sa

from registry.core.errors import PermissionDenied
from registry.extensions import db
from registry.invitations import queries, services
from registry.invitations.models import Invitation
from registry.users.models import User
from registry.users.roles import Role
from tests.audit.helpers import entry_bodies
from tests.conftest import post_form
from tests.factories import make_authority, make_user
from tests.mail import link_in, messages_to
from tests.snapshots import database_snapshot

from .conftest import invite

FORM = {"email": "Nadia@Leeds.example.org", "authority_code": "LDS", "role": "contributor"}


def refused_invitation(client, form=FORM) -> str:
    """Send the invitation form, check it was refused with nothing changed, and return the page."""
    before = database_snapshot()
    response = post_form(client, "/invitations/new", form)
    assert response.status_code == 422
    assert database_snapshot() == before
    return response.get_data(as_text=True)


def test_an_authority_administrator_invites_someone_to_their_authority(signed_in_client, leeds, leeds_admin):
    response = post_form(signed_in_client(leeds_admin), "/invitations/new", FORM)

    assert response.status_code == 302
    invitation = db.session.scalar(sa.select(Invitation))
    assert (invitation.email, invitation.authority_id, invitation.role) == ("nadia@leeds.example.org", leeds.id, "contributor")
    assert invitation.invited_by_id == leeds_admin.id


def test_the_form_chooses_the_authority_for_an_administrator_of_one(signed_in_client, leeds, leeds_admin):
    html = signed_in_client(leeds_admin).get("/invitations/new").get_data(as_text=True)
    assert '<option value="LDS" selected>Leeds City Council</option>' in html


def test_a_system_administrator_chooses_the_authority_by_name_from_every_authority(signed_in_client, leeds, admin):
    make_authority(code="BRD", name="Bradford Council")
    html = signed_in_client(admin).get("/invitations/new").get_data(as_text=True)
    assert 'name="authority_code" data-module="app-authority-select"' in html
    assert '<option value="BRD">Bradford Council</option>' in html
    assert '<option value="LDS">Leeds City Council</option>' in html
    assert "Authority code" not in html


def test_the_invitation_email_holds_a_link_to_join_on_the_registry(app, leeds, leeds_admin):
    invite(leeds_admin, leeds)

    [message] = messages_to("nadia@leeds.example.org")

    link = link_in(message.body, "/join/")
    assert link.startswith(app.config["SERVICE_URL"] + "/join/")
    assert "Lena Admin has invited you" in message.body and "contributor for Leeds City Council" in message.body
    assert link in message.html_body
    assert message.holds_secret


def test_only_the_hash_of_the_links_token_is_stored(leeds, leeds_admin):
    invitation, token = invite(leeds_admin, leeds)

    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    row = db.session.execute(sa.select(Invitation.__table__)).one()
    assert token not in str(tuple(row))


def test_the_link_expires_seven_days_after_it_was_sent(leeds, leeds_admin):
    invitation, _ = invite(leeds_admin, leeds)
    assert (invitation.expires_at - invitation.sent_at).days == 7


def test_a_bad_form_shows_the_error_summary(signed_in_client, leeds, leeds_admin):
    response = post_form(signed_in_client(leeds_admin), "/invitations/new", {"email": "not an email", "authority_code": "LDS"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'href="#email">Enter an email address in the correct format' in html
    assert 'href="#role">Select a role' in html


def test_an_unknown_authority_code_is_a_form_error(signed_in_client, admin):
    response = post_form(signed_in_client(admin), "/invitations/new", {**FORM, "authority_code": "ZZZ"})
    assert response.status_code == 422
    assert 'href="#authority_code">There is no authority with the code ZZZ' in response.get_data(as_text=True)


def test_an_authority_administrator_cannot_invite_to_another_authority(leeds, leeds_admin):
    bradford = make_authority(code="BRD", name="Bradford Council")
    with pytest.raises(PermissionDenied):
        services.invite(leeds_admin, email="x@example.org", authority=bradford, role=Role.VIEWER)


def test_inviting_an_address_already_invited_is_refused(signed_in_client, leeds, leeds_admin):
    invite(leeds_admin, leeds)
    page = refused_invitation(signed_in_client(leeds_admin))

    assert "has already been invited to Leeds City Council" in page


def test_an_address_with_an_account_gets_the_role_and_an_email_not_a_second_account(signed_in_client, leeds, leeds_admin):
    person = make_user(name="Nadia Existing", email="nadia@leeds.example.org")

    response = post_form(signed_in_client(leeds_admin), "/invitations/new", FORM)

    assert response.status_code == 302 and response.headers["Location"] == f"/users/{person.id}"
    db.session.refresh(person)
    assert person.role_in(leeds) is Role.CONTRIBUTOR
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.email == person.email)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0
    [message] = messages_to(person.email)
    assert "You now have a role for Leeds City Council" in message.subject
    assert "/join/" not in message.body and not message.holds_secret


def test_an_address_with_an_account_and_a_role_there_already_is_refused(signed_in_client, leeds, leeds_admin):
    make_user(email="nadia@leeds.example.org", memberships={leeds: "approver"})
    page = refused_invitation(signed_in_client(leeds_admin))

    assert "already has a role for Leeds City Council" in page


def test_a_deactivated_account_is_not_invited_or_emailed(signed_in_client, leeds, leeds_admin, admin):
    from registry.users import services as user_services

    person = make_user(email="nadia@leeds.example.org")
    user_services.deactivate_user(admin, person)
    db.session.commit()
    page = refused_invitation(signed_in_client(leeds_admin))

    assert "has been deactivated" in page


def test_administrators_cannot_invite_themselves(signed_in_client, leeds, leeds_admin):
    response = post_form(signed_in_client(leeds_admin), "/invitations/new", {**FORM, "email": leeds_admin.email})
    assert response.status_code == 422
    assert "You cannot invite yourself" in response.get_data(as_text=True)


def test_sending_again_makes_a_new_link_and_the_old_one_stops_working(client, leeds, leeds_admin):
    invitation, old_token = invite(leeds_admin, leeds)

    services.resend(leeds_admin, invitation)
    db.session.commit()

    new_token = link_in(messages_to(invitation.email)[-1].body, "/join/").rsplit("/", 1)[1]
    assert new_token != old_token
    assert client.get(f"/join/{old_token}").status_code == 404
    assert client.get(f"/join/{new_token}").status_code == 200
    assert invitation.times_sent == 2


def test_sending_again_gives_an_expired_invitation_seven_more_days(leeds, leeds_admin):
    from datetime import timedelta

    from registry.core.db import utcnow

    invitation, _ = invite(leeds_admin, leeds)
    invitation.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()

    services.resend(leeds_admin, invitation)

    assert invitation.expires_at > utcnow() + timedelta(days=6)


def test_an_administrator_sends_again_and_cancels_from_the_invitations_page(signed_in_client, leeds, leeds_admin):
    invitation, _ = invite(leeds_admin, leeds)
    client = signed_in_client(leeds_admin)

    assert post_form(client, f"/invitations/{invitation.id}/resend", from_page="/invitations").status_code == 302
    assert post_form(client, f"/invitations/{invitation.id}/cancel", from_page="/invitations").status_code == 302

    db.session.refresh(invitation)
    assert invitation.times_sent == 2 and invitation.cancelled_at is not None
    assert "There are no invitations waiting" in client.get("/invitations").get_data(as_text=True)


def test_a_cancelled_invitation_cannot_be_sent_again(signed_in_client, leeds, leeds_admin):
    invitation, _ = invite(leeds_admin, leeds)
    services.cancel(leeds_admin, invitation)
    db.session.commit()
    before = database_snapshot()

    response = post_form(signed_in_client(leeds_admin), f"/invitations/{invitation.id}/resend", from_page="/invitations")

    assert response.status_code == 409
    assert database_snapshot() == before


def test_the_invitations_page_lists_only_the_administrators_authority(signed_in_client, leeds, leeds_admin, admin):
    bradford = make_authority(code="BRD", name="Bradford Council")
    invite(leeds_admin, leeds, email="to-leeds@example.org")
    invite(admin, bradford, email="to-bradford@example.org")

    html = signed_in_client(leeds_admin).get("/invitations").get_data(as_text=True)

    assert "to-leeds@example.org" in html and "to-bradford@example.org" not in html
    everything = signed_in_client(admin).get("/invitations").get_data(as_text=True)
    assert "to-leeds@example.org" in everything and "to-bradford@example.org" in everything


def test_invitations_are_audited_by_id_and_authority_code_without_the_address(leeds, leeds_admin):
    invitation, _ = invite(leeds_admin, leeds)
    services.resend(leeds_admin, invitation)
    services.cancel(leeds_admin, invitation)
    db.session.commit()

    entries = [body for body in entry_bodies() if body["action"].startswith("invitation.")]

    assert [body["action"] for body in entries] == ["invitation.create", "invitation.resend", "invitation.cancel"]
    assert all(body["authorities"] == ["LDS"] and body["object"] == {"type": "invitation", "ref": str(invitation.id)} for body in entries)
    assert "nadia" not in str(entries).lower()


def test_pending_invitations_are_found_by_address_for_a_verified_sign_in(leeds, leeds_admin):
    invitation, _ = invite(leeds_admin, leeds)
    other, _ = invite(leeds_admin, leeds, email="someone.else@example.org")
    services.cancel(leeds_admin, other)
    db.session.commit()

    assert [found.id for found in queries.pending_invitations_for("NADIA@leeds.example.org")] == [invitation.id]
    assert queries.pending_invitations_for("someone.else@example.org") == []
