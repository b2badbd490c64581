"""Password hashing with argon2id, and the password rules (length and a deny-list, per NCSC)."""

import gzip
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_DENY_LIST = Path(__file__).parent / "data" / "common-passwords.txt.gz"
MAX_LENGTH = 256  # long enough for any passphrase, short enough not to be a hashing DoS


@cache
def _hasher(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


def hasher() -> PasswordHasher:
    """Return the argon2id hasher with this app's cost settings (argon2-cffi's defaults unless set)."""
    config = current_app.config
    defaults = PasswordHasher()
    return _hasher(
        config.get("ARGON2_TIME_COST", defaults.time_cost),
        config.get("ARGON2_MEMORY_COST", defaults.memory_cost),
        config.get("ARGON2_PARALLELISM", defaults.parallelism),
    )


def hash_password(password: str) -> str:
    """Return the argon2id hash of a password."""
    return hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Return True if the password matches the hash."""
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    return hasher().hash("no account has this password")


def spend_time_verifying(password: str) -> None:
    """Verify against a dummy hash, so an unknown email costs as long as a known one."""
    verify_password(_dummy_hash(), password)


@cache
def common_passwords() -> frozenset[str]:
    """Return the deny-list of common passwords, lower-cased."""
    with gzip.open(_DENY_LIST, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def password_problems(password: str, *, email: str = "", name: str = "") -> list[str]:
    """Return what is wrong with a new password, in words for the user; empty if it is fine."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return [f"Password must be {minimum} characters or more"]
    if len(password) > MAX_LENGTH:
        return [f"Password must be {MAX_LENGTH} characters or fewer"]
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) <= 2:
        return ["Password is too easy to guess: choose a password that is not commonly used"]
    personal = [part for part in (email.lower(), email.lower().split("@")[0], name.lower()) if len(part) >= 4]
    if any(part in lowered for part in personal):
        return ["Password must not contain your name or email address"]
    if "registry" in lowered and len(lowered.replace("registry", "")) < minimum:
        return ["Password must not be based on the name of this service"]
    return []
