"""Random secrets handed to a client, and the hashes the database keeps instead of them."""

import hashlib
import secrets


def new_secret(prefix: str = "") -> str:
    """Return a new random secret (256 bits, URL-safe), with an optional readable prefix."""
    return prefix + secrets.token_urlsafe(32)


def secret_hash(secret: str) -> str:
    """Return the SHA-256 of a secret in hex; enough for random secrets, which cannot be guessed."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
