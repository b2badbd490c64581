"""Forgotten passwords: the request answers the same for every address and is throttled; the link, used once within the hour, sets a new password, ends every session and signs the person in."""

import hashlib
import re
from datetime import timedelta

import sqlalchemy as sa

from registry.auth.models import SignInFailure, UserSession
from registry.auth.passwords import verify_password
from registry.core.db import utcnow
from registry.extensions import db
from registry.password_resets.models import PasswordReset, PasswordResetRequest
from registry.users import services as user_services
from tests.audit.helpers import entry_bodies
from tests.conftest import csrf_token_from, post_form, sign_in
from tests.factories import make_user
from tests.mail import link_in, messages_to, path_of, token_in
from tests.snapshots import database_snapshot

NEW = "plum-lantern-harbour-seven"


def _ask(client, email):
    return post_form(client, "/forgotten-password", {"email": email})


def _token_sent_to(email) -> str:
    return token_in(messages_to(email)[-1].body, "/reset-password/")


def _set(client, token, password=NEW, from_page=None):
    return post_form(client, f"/reset-password/{token}", {"password": password}, from_page=from_page)


def _open_sessions(user) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)))


def _without_per_request_secrets(html: str) -> str:
    """Return the page without its CSRF token and its Content-Security-Policy nonce, which every request gets afresh."""
    html = re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value=""', html)
    return re.sub(r'nonce="[^"]+"', 'nonce=""', html)


def test_the_sign_in_page_offers_to_reset_a_forgotten_password(client):
    assert 'href="/forgotten-password">Forgotten your password?' in client.get("/sign-in").get_data(as_text=True)


def test_known_and_unknown_addresses_get_the_same_status_and_the_same_page(app, client):
    make_user(email="known@example.org")

    known = _ask(app.test_client(), "known@example.org")
    unknown = _ask(app.test_client(), "unknown@example.org")

    assert known.status_code == unknown.status_code == 200
    known_page = _without_per_request_secrets(known.get_data(as_text=True)).replace("known@example.org", "ADDRESS")
    unknown_page = _without_per_request_secrets(unknown.get_data(as_text=True)).replace("unknown@example.org", "ADDRESS")
    assert known_page == unknown_page
    assert "Check your email" in known_page


def test_a_known_address_is_emailed_a_link_to_reset_its_password(app, client):
    user = make_user(email="known@example.org")

    _ask(client, "Known@Example.org")

    [message] = messages_to(user.email)
    assert link_in(message.body, "/reset-password/").startswith(app.config["SERVICE_URL"] + "/reset-password/")
    assert message.holds_secret and message.user_id == user.id


def test_an_unknown_address_is_sent_nothing_and_leaves_only_its_count(client):
    before = database_snapshot()

    _ask(client, "unknown@example.org")

    after = database_snapshot()
    assert len(after.pop("password_reset_requests")) == 1
    before.pop("password_reset_requests")
    assert after == before


def test_a_deactivated_account_is_sent_nothing(client, admin):
    person = make_user(email="gone@example.org")
    user_services.deactivate_user(admin, person)
    db.session.commit()

    _ask(client, person.email)

    assert messages_to(person.email) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PasswordReset)) == 0


def test_a_malformed_address_shows_the_error_summary(client):
    response = _ask(client, "not an email")
    assert response.status_code == 422
    assert 'href="#email">Enter an email address in the correct format' in response.get_data(as_text=True)


def test_only_the_hash_of_the_links_token_is_stored(client):
    user = make_user()
    _ask(client, user.email)
    token = _token_sent_to(user.email)

    reset = db.session.scalar(sa.select(PasswordReset))

    assert reset.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(tuple(db.session.execute(sa.select(PasswordReset.__table__)).one()))


def test_requests_for_one_address_are_throttled_the_same_whether_or_not_it_has_an_account(app):
    make_user(email="known@example.org")
    limit = app.config["PASSWORD_RESET_MAX_PER_EMAIL"]
    answers = {}
    for email in ("known@example.org", "unknown@example.org"):
        client = app.test_client()
        statuses = [_ask(client, email).status_code for _ in range(limit + 1)]
        answers[email] = (statuses, _without_per_request_secrets(_ask(client, email).get_data(as_text=True)).replace(email, "ADDRESS"))

    assert answers["known@example.org"] == answers["unknown@example.org"]
    assert answers["known@example.org"][0] == [200] * limit + [429]
    assert "too many password reset emails" in answers["known@example.org"][1]
    assert len(messages_to("known@example.org")) == limit


def test_requests_from_one_client_are_throttled(app, client):
    app.config["PASSWORD_RESET_MAX_PER_ADDRESS"] = 2
    assert _ask(client, "one@example.org").status_code == 200
    assert _ask(client, "two@example.org").status_code == 200
    assert _ask(client, "three@example.org").status_code == 429


def test_the_link_shows_a_form_for_a_new_password(client):
    user = make_user()
    _ask(client, user.email)

    response = client.get(f"/reset-password/{_token_sent_to(user.email)}")

    assert response.status_code == 200
    assert 'autocomplete="new-password"' in response.get_data(as_text=True)


def test_the_link_sets_the_new_password_and_signs_the_person_in(client):
    user = make_user()
    _ask(client, user.email)

    response = _set(client, _token_sent_to(user.email))

    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    db.session.refresh(user)
    assert verify_password(user.password_hash, NEW)
    assert client.get("/account").status_code == 200


def test_a_reset_ends_every_other_session(app, client):
    user = make_user()
    elsewhere = app.test_client()
    sign_in(elsewhere, user)
    _ask(client, user.email)

    _set(client, _token_sent_to(user.email))

    assert elsewhere.get("/account").status_code == 302
    assert _open_sessions(user) == 1  # the one it just started


def test_a_reset_clears_failed_sign_ins(app, client):
    user = make_user()
    for _ in range(3):
        post_form(app.test_client(), "/sign-in", {"email": user.email, "password": "wrong-password-guess"})
    _ask(client, user.email)

    _set(client, _token_sent_to(user.email))

    assert db.session.scalar(sa.select(sa.func.count()).select_from(SignInFailure)) == 0


def test_the_link_works_once(app, client):
    user = make_user()
    _ask(client, user.email)
    token = _token_sent_to(user.email)
    _set(client, token)

    response = app.test_client().get(f"/reset-password/{token}")

    assert response.status_code == 410
    assert "this one has been used" in response.get_data(as_text=True)


def test_using_a_link_stops_the_persons_other_links(app, client):
    user = make_user()
    _ask(client, user.email)
    first = _token_sent_to(user.email)
    _ask(client, user.email)
    second = _token_sent_to(user.email)

    _set(client, second)

    assert app.test_client().get(f"/reset-password/{first}").status_code == 410


def test_the_link_expires_after_an_hour(client):
    user = make_user()
    _ask(client, user.email)
    reset = db.session.scalar(sa.select(PasswordReset))
    assert reset.expires_at - reset.created_at == timedelta(hours=1)
    reset.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    before = database_snapshot()

    response = _set(client, _token_sent_to(user.email), from_page="/sign-in")

    assert response.status_code == 410
    assert "has expired" in response.get_data(as_text=True)
    assert database_snapshot() == before


def test_an_unknown_link_is_not_found(client):
    assert client.get("/reset-password/no-such-token").status_code == 404


def test_a_deactivated_persons_link_does_not_work(client, admin):
    user = make_user()
    _ask(client, user.email)
    user_services.deactivate_user(admin, user)
    db.session.commit()

    assert client.get(f"/reset-password/{_token_sent_to(user.email)}").status_code == 410


def test_a_weak_new_password_is_refused_and_changes_nothing(client):
    user = make_user()
    _ask(client, user.email)
    token = _token_sent_to(user.email)
    before = database_snapshot()

    response = _set(client, token, "password1234")

    assert response.status_code == 422
    assert 'href="#password">Password is too easy to guess' in response.get_data(as_text=True)
    assert database_snapshot() == before


def test_a_completed_reset_is_audited_and_a_request_is_not(client):
    user = make_user()
    _ask(client, user.email)
    _ask(client, "unknown@example.org")
    assert not [body for body in entry_bodies() if "reset" in body["action"]]

    _set(client, _token_sent_to(user.email))

    entries = {body["action"]: body for body in entry_bodies()}
    assert entries["user.reset_password"]["actor"] == {"type": "user", "id": user.id}
    assert entries["user.sign_in"]["data"]["via"] == "password_reset"
    assert user.email not in str(entry_bodies())


def test_the_person_is_told_by_email_that_their_password_was_reset(client):
    user = make_user()
    _ask(client, user.email)

    _set(client, _token_sent_to(user.email))

    notice = messages_to(user.email)[-1]
    assert "has been changed" in notice.subject and "reset using a link" in notice.body


def test_the_link_in_the_email_opens_the_reset_page(client):
    user = make_user()
    _ask(client, user.email)
    link = link_in(messages_to(user.email)[-1].body, "/reset-password/")
    assert client.get(path_of(link)).status_code == 200


def test_the_request_form_has_a_csrf_token(client):
    assert csrf_token_from(client.get("/forgotten-password").get_data(as_text=True))


def test_an_unknown_address_costs_the_same_work_as_a_known_one(app, monkeypatch):
    from registry.password_resets import services

    composed = []
    real = services.messages.reset_link
    monkeypatch.setattr(services.messages, "reset_link", lambda token, minutes: composed.append(token) or real(token, minutes))
    make_user(email="known@example.org")

    _ask(app.test_client(), "known@example.org")
    _ask(app.test_client(), "unknown@example.org")

    # A token made, hashed and written into an email for each: only storing and sending differ.
    assert len(composed) == 2
