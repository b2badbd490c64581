"""Sign-in throttling: per account and per client address, the real client's behind a trusted proxy,
and checked and counted at once, so attempts made together cannot slip past the limit."""

import threading

import pytest
import sqlalchemy as sa

from registry import create_app
from registry.auth.models import SignInFailure
from registry.extensions import db
from tests.conftest import IsolatedClient, csrf_token_from
from tests.factories import TEST_PASSWORD, make_user


def _attempt(client, email, password, **headers):
    page = client.get("/sign-in", headers=headers)
    return client.post("/sign-in", data={"csrf_token": csrf_token_from(page.get_data(as_text=True)),
                                         "email": email, "password": password}, headers=headers)


def _failures() -> int:
    db.session.expire_all()
    count = db.session.scalar(sa.select(sa.func.count()).select_from(SignInFailure))
    db.session.rollback()
    return count


def test_eight_wrong_passwords_at_once_against_a_limit_of_five_check_at_most_five(app):
    email = make_user().email  # read here: the threads must not share the test's session
    limit = app.config["SIGN_IN_MAX_FAILURES_PER_EMAIL"]
    assert limit == 5
    clients = [app.test_client() for _ in range(8)]
    tokens = [csrf_token_from(c.get("/sign-in").get_data(as_text=True)) for c in clients]
    start = threading.Barrier(len(clients))
    statuses = []

    def attempt(client, token):
        start.wait()
        with app.app_context():  # the test client tidies the session it shares with the test afterwards
            response = client.post("/sign-in", data={"csrf_token": token, "email": email, "password": "a-wrong-passphrase"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=attempt, args=pair) for pair in zip(clients, tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # 422: the password was checked and was wrong; 429: refused before any check.
    assert sorted(statuses) == [422] * limit + [429] * (8 - limit)
    assert _failures() == limit


def test_an_attempt_counts_before_its_password_is_checked_and_a_success_takes_it_back(client):
    user = make_user()
    assert _attempt(client, user.email, "a-wrong-passphrase").status_code == 422
    assert _failures() == 1
    assert _attempt(client, user.email, TEST_PASSWORD).status_code == 302
    assert _failures() == 0


@pytest.fixture
def proxied_app(app):
    """The same database and keys, served behind one trusted reverse proxy, with a low per-address limit."""
    proxied = create_app("test", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "TRUSTED_PROXIES": 1,
                                  "SIGN_IN_MAX_FAILURES_PER_ADDRESS": 3}, instance_path=app.instance_path)
    proxied.test_client_class = IsolatedClient
    yield proxied
    with proxied.app_context():
        db.engine.dispose()


def test_behind_a_proxy_each_client_address_is_throttled_on_its_own(app, proxied_app):
    user = make_user()
    hostile, colleague = proxied_app.test_client(), proxied_app.test_client()
    for number in range(3):
        assert _attempt(hostile, f"guess{number}@example.org", "wrong", **{"X-Forwarded-For": "203.0.113.5"}).status_code == 422
    assert _attempt(hostile, "guess9@example.org", "wrong", **{"X-Forwarded-For": "203.0.113.5"}).status_code == 429
    # Another person at another address, through the same proxy, is not locked out.
    assert _attempt(colleague, user.email, TEST_PASSWORD, **{"X-Forwarded-For": "198.51.100.7"}).status_code == 302


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(app):
    app.config["SIGN_IN_MAX_FAILURES_PER_ADDRESS"] = 3
    client = app.test_client()
    for number in range(3):
        _attempt(client, f"guess{number}@example.org", "wrong", **{"X-Forwarded-For": f"203.0.113.{number}"})
    # Claiming yet another address does not start a new count: the header is not believed.
    assert _attempt(client, "guess9@example.org", "wrong", **{"X-Forwarded-For": "192.0.2.1"}).status_code == 429
