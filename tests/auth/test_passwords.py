"""Passwords: hashed with argon2id; rules are a minimum length and a deny-list, not composition (NCSC)."""

import pytest

from registry.auth import passwords


def test_passwords_are_hashed_with_argon2id(app):
    hashed = passwords.hash_password("a-long-test-passphrase")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify_password(hashed, "a-long-test-passphrase")
    assert not passwords.verify_password(hashed, "a-long-test-passphrasE")


def test_production_cost_is_memory_hard(tmp_path, monkeypatch):
    from registry import create_app

    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/p.sqlite3")
    with create_app("production", instance_path=str(tmp_path)).app_context():
        assert passwords.hasher().memory_cost >= 64 * 1024  # KiB: at least 64 MiB per hash


def test_a_damaged_hash_never_verifies(app):
    assert not passwords.verify_password("not-a-hash", "anything")


@pytest.mark.parametrize(
    "password, problem",
    [
        ("short-pass", "12 characters or more"),
        ("x" * 257, "256 characters or fewer"),
        ("password1234", "too easy to guess"),
        ("aaaaaaaaaaaaaaaa", "too easy to guess"),
        ("jane.smith-winter-2026", "must not contain your name or email"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(app, password, problem):
    problems = passwords.password_problems(password, email="jane.smith@example.org", name="Jane Smith")
    assert problems and problem in problems[0]


@pytest.mark.parametrize("password", ["correct-battery-horse-staple", "only lowercase words here", "ALLCAPSBUTLONGENOUGH"])
def test_long_passwords_need_no_particular_characters(app, password):
    assert passwords.password_problems(password, email="jane@example.org", name="Jane") == []


def test_the_deny_list_is_loaded(app):
    assert len(passwords.common_passwords()) > 10_000
    assert "password" in passwords.common_passwords()
