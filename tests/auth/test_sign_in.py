"""Signing in and out: the right credentials start a new server-side session; nothing else does."""

import multiprocessing
from datetime import timedelta

import sqlalchemy as sa

from registry import create_app
from registry.auth.models import SignInFailure, UserSession
from registry.extensions import db
from tests.conftest import post_form, sign_in
from tests.factories import TEST_PASSWORD, make_authority, make_user


def _attempt(client, email, password):
    return post_form(client, "/sign-in", {"email": email, "password": password})


def test_right_password_signs_in_and_goes_to_the_dashboard(client):
    council = make_authority(name="Hartlepool Borough Council")
    user = make_user(memberships={council: "approver"})

    response = _attempt(client, user.email, TEST_PASSWORD)

    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    assert "Hartlepool Borough Council" in client.get("/dashboard").get_data(as_text=True)


def test_email_is_matched_in_any_case(client):
    user = make_user(email="mixed@example.org")
    assert _attempt(client, "  MIXED@Example.ORG ", TEST_PASSWORD).status_code == 302


def test_wrong_password_shows_the_error_summary(client):
    user = make_user()
    response = _attempt(client, user.email, "a-wrong-passphrase")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "govuk-error-summary" in html
    assert "<title>Error: Sign in" in html
    assert "Enter a correct email address and password" in html


def test_wrong_password_and_unknown_email_look_the_same(client):
    user = make_user()
    wrong_password = _attempt(client, user.email, "a-wrong-passphrase")
    unknown_email = _attempt(client, "nobody@example.org", "a-wrong-passphrase")

    def error_text(response):
        html = response.get_data(as_text=True)
        return html[html.index("govuk-error-summary") : html.index("</ul>", html.index("govuk-error-summary"))]

    assert wrong_password.status_code == unknown_email.status_code
    assert error_text(wrong_password) == error_text(unknown_email)


def test_deactivated_account_cannot_sign_in_and_is_not_told_apart(client, admin):
    from registry.users import services

    user = make_user()
    services.deactivate_user(admin, user)
    db.session.commit()

    response = _attempt(client, user.email, TEST_PASSWORD)
    assert response.status_code == 422
    assert "Enter a correct email address and password" in response.get_data(as_text=True)


def test_missing_fields_are_named_in_the_error_summary(client):
    response = _attempt(client, "", "")
    html = response.get_data(as_text=True)
    assert 'href="#email">Enter your email address' in html
    assert 'href="#password">Enter your password' in html


def test_signing_in_starts_a_new_session(client):
    user = make_user()
    client.get("/sign-in")
    before = client.get_cookie("registry_session").value

    sign_in(client, user)

    assert client.get_cookie("registry_session").value != before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == 1


def test_signing_out_ends_the_session_even_for_a_copied_cookie(client, app):
    user = make_user()
    sign_in(client, user)
    copied_cookie = client.get_cookie("registry_session").value

    post_form(client, "/sign-out", from_page="/dashboard")

    replay = app.test_client()
    replay.set_cookie("registry_session", copied_cookie)
    assert replay.get("/dashboard").status_code == 302
    assert db.session.scalar(sa.select(UserSession.ended_at)) is not None


def test_an_idle_session_expires(client, app):
    user = make_user()
    sign_in(client, user)
    session_row = db.session.scalar(sa.select(UserSession))
    session_row.last_seen_at -= timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    db.session.commit()

    response = client.get("/dashboard")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_deactivating_a_user_ends_their_sessions(client, admin):
    from registry.users import services

    user = make_user()
    sign_in(client, user)
    services.deactivate_user(admin, user)
    db.session.commit()

    assert client.get("/dashboard").status_code == 302


def test_signed_out_visitor_is_sent_to_sign_in_and_back(client):
    user = make_user()
    response = client.get("/authorities")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=%2Fauthorities"

    signed_in = post_form(client, "/sign-in", {"email": user.email, "password": TEST_PASSWORD, "next": "/authorities"}, from_page="/sign-in?next=%2Fauthorities")
    assert signed_in.headers["Location"] == "/authorities"


def test_sign_in_never_redirects_to_another_site(client):
    user = make_user()
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = post_form(client, "/sign-in", {"email": user.email, "password": TEST_PASSWORD, "next": target})
        assert response.headers["Location"] == "/dashboard"
        client.delete_cookie("registry_session")


def test_repeated_failures_are_throttled_with_a_clear_message(client, app):
    user = make_user()
    limit = app.config["SIGN_IN_MAX_FAILURES_PER_EMAIL"]
    for _ in range(limit):
        assert _attempt(client, user.email, "a-wrong-passphrase").status_code == 422

    response = _attempt(client, user.email, TEST_PASSWORD)

    assert response.status_code == 429
    assert "You have tried to sign in too many times. Wait 15 minutes, then try again." in response.get_data(as_text=True)


def test_throttle_message_is_the_same_for_an_email_without_an_account(client, app):
    limit = app.config["SIGN_IN_MAX_FAILURES_PER_EMAIL"]
    for _ in range(limit):
        _attempt(client, "nobody@example.org", "a-wrong-passphrase")
    response = _attempt(client, "nobody@example.org", "a-wrong-passphrase")
    assert response.status_code == 429
    assert "You have tried to sign in too many times" in response.get_data(as_text=True)


def test_failures_are_counted_by_a_keyed_hash_not_the_email(client):
    _attempt(client, "someone@example.org", "a-wrong-passphrase")
    stored = db.session.scalar(sa.select(SignInFailure.email_hash))
    assert "someone" not in stored
    assert len(stored) == 64


def test_success_clears_the_failure_count(client, app):
    user = make_user()
    for _ in range(app.config["SIGN_IN_MAX_FAILURES_PER_EMAIL"] - 1):
        _attempt(client, user.email, "a-wrong-passphrase")
    sign_in(client, user)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SignInFailure)) == 0


def _fail_sign_ins_in_another_process(database_url, instance_path, email, times):
    """Run in a separate worker process: an app of its own, failing to sign in `times` times."""
    import re

    worker_app = create_app("test", {"SQLALCHEMY_DATABASE_URI": database_url}, instance_path=instance_path)
    client = worker_app.test_client()
    for _ in range(times):
        page = client.get("/sign-in").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = client.post("/sign-in", data={"csrf_token": token, "email": email, "password": "a-wrong-passphrase"})
        assert response.status_code == 422


def test_throttle_holds_across_worker_processes(client, app, tmp_path):
    user = make_user()
    limit = app.config["SIGN_IN_MAX_FAILURES_PER_EMAIL"]
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    spawn = multiprocessing.get_context("spawn")
    workers = [
        spawn.Process(target=_fail_sign_ins_in_another_process, args=(url, str(tmp_path / f"w{n}"), user.email, times))
        for n, times in enumerate([limit - 2, 2])
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0

    # Neither worker alone reached the limit; together they did, and this third process sees it.
    assert _attempt(client, user.email, TEST_PASSWORD).status_code == 429
