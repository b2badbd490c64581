"""Changing your own password on your account page: the current one first, the new one by the rules; other sessions end, this one stays."""

import sqlalchemy as sa

from registry.auth.models import SignInFailure, UserSession
from registry.auth.passwords import verify_password
from registry.extensions import db
from tests.audit.helpers import entry_bodies
from tests.conftest import post_form, sign_in
from tests.factories import TEST_PASSWORD, make_user
from tests.mail import messages_to
from tests.snapshots import database_snapshot

NEW = "plum-lantern-harbour-seven"


def _change(client, current=TEST_PASSWORD, new=NEW):
    return post_form(client, "/account/password", {"current_password": current, "new_password": new})


def _open_sessions(user) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)))


def test_the_account_page_links_to_changing_your_password(signed_in_client):
    html = signed_in_client(make_user()).get("/account").get_data(as_text=True)
    assert 'href="/account/password"' in html


def test_a_person_changes_their_password(signed_in_client):
    user = make_user()

    response = _change(signed_in_client(user))

    assert response.status_code == 302
    db.session.refresh(user)
    assert verify_password(user.password_hash, NEW)


def test_a_wrong_current_password_is_refused_and_changes_nothing(signed_in_client):
    user = make_user()
    client = signed_in_client(user)
    before = database_snapshot()

    response = _change(client, current="not-my-password-at-all")

    assert response.status_code == 422
    assert 'href="#current_password">Your current password is not right' in response.get_data(as_text=True)
    assert database_snapshot() == before


def test_a_weak_new_password_is_refused_with_the_reason(signed_in_client):
    response = _change(signed_in_client(make_user()), new="password1234")
    assert response.status_code == 422
    assert 'href="#new_password">Password is too easy to guess' in response.get_data(as_text=True)


def test_the_new_password_must_differ_from_the_current_one(signed_in_client):
    response = _change(signed_in_client(make_user()), new=TEST_PASSWORD)
    assert response.status_code == 422
    assert "must be different" in response.get_data(as_text=True)


def test_an_empty_form_says_what_is_missing(signed_in_client):
    response = post_form(signed_in_client(make_user()), "/account/password", {})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter your current password" in html and "Enter a new password" in html


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(app, signed_in_client):
    user = make_user()
    elsewhere = app.test_client()
    sign_in(elsewhere, user)
    here = signed_in_client(user)
    assert _open_sessions(user) == 2

    _change(here)

    assert _open_sessions(user) == 1
    assert here.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302


def test_a_wrong_current_password_counts_as_a_failed_sign_in(app, signed_in_client):
    user = make_user()
    client = signed_in_client(user)
    for _ in range(app.config["SIGN_IN_MAX_FAILURES_PER_EMAIL"]):
        assert _change(client, current="guessing-the-password").status_code == 422

    response = _change(client)

    assert response.status_code == 429
    assert "too many times" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SignInFailure)) == 5


def test_a_change_is_audited_without_the_password(signed_in_client):
    user = make_user()
    _change(signed_in_client(user))
    entry = next(body for body in entry_bodies() if body["action"] == "user.change_password")
    assert entry["actor"] == {"type": "user", "id": user.id}
    assert NEW not in str(entry) and user.email not in str(entry)


def test_the_person_is_told_by_email_that_their_password_changed(signed_in_client):
    user = make_user()
    _change(signed_in_client(user))
    [message] = messages_to(user.email)
    assert "Your password" in message.subject and "changed" in message.subject
    assert "/forgotten-password" in message.body
