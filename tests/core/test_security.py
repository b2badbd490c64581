"""Safe by default: CSRF on forms, cookie flags, security headers, and the production secret key."""

import re

import pytest

from registry import create_app
from tests.conftest import csrf_token_from, sign_in
from tests.factories import make_user


def test_a_form_posted_without_its_csrf_token_is_refused_with_400(client):
    user = make_user()
    response = client.post("/sign-in", data={"email": user.email, "password": "a-long-test-passphrase"})
    assert response.status_code == 400
    assert "not sent from this service" in response.get_data(as_text=True)


def test_a_form_posted_with_a_forged_csrf_token_is_refused(client):
    client.get("/sign-in")
    response = client.post("/sign-in", data={"csrf_token": "forged", "email": "a@example.org", "password": "x"})
    assert response.status_code == 400


def test_content_security_policy_has_no_unsafe_inline_and_a_fresh_nonce(client):
    first = client.get("/sign-in")
    second = client.get("/sign-in")
    policy = first.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert f'nonce="{nonce}"' in first.get_data(as_text=True)
    assert nonce not in second.headers["Content-Security-Policy"]


def test_every_inline_script_carries_the_nonce(client):
    html = client.get("/sign-in").get_data(as_text=True)
    for script in re.findall(r"<script[^>]*>", html):
        assert "nonce=" in script or "src=" in script, script


@pytest.mark.parametrize(
    "header, value",
    [
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("Cache-Control", "no-store"),
    ],
)
def test_pages_carry_security_headers(client, header, value):
    assert client.get("/sign-in").headers[header] == value


def test_session_cookie_is_httponly_and_samesite_lax(client):
    user = make_user()
    response = sign_in(client, user)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("registry_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_session_cookie_is_secure_outside_development(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/prod.sqlite3")
    app = create_app("production", instance_path=str(tmp_path))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_production_refuses_to_start_without_its_own_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/prod.sqlite3")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", instance_path=str(tmp_path))


def test_production_refuses_a_short_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "changeme")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/prod.sqlite3")
    with pytest.raises(RuntimeError, match="at least 32"):
        create_app("production", instance_path=str(tmp_path))


def test_development_generates_a_private_secret_key_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app("development", instance_path=str(tmp_path))
    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == app.config["SECRET_KEY"]
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert create_app("development", instance_path=str(tmp_path)).config["SECRET_KEY"] == app.config["SECRET_KEY"]


def test_csrf_token_helper_reads_the_token(client):
    assert csrf_token_from(client.get("/sign-in").get_data(as_text=True))


def test_production_ignores_a_fixed_today(tmp_path, monkeypatch):
    from datetime import date

    from registry.core.clock import today

    monkeypatch.setenv("SECRET_KEY", "t" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/p.sqlite3")
    app = create_app("production", {"TODAY": "2030-01-01"}, instance_path=str(tmp_path))
    with app.app_context():
        assert today() != date(2030, 1, 1)
    with create_app("test", {"TODAY": "2030-01-01", "SQLALCHEMY_DATABASE_URI": "sqlite://"}, instance_path=str(tmp_path)).app_context():
        assert today() == date(2030, 1, 1)
