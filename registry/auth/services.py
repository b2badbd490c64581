"""Signing in and out: the use cases behind the sign-in form."""

import sqlalchemy as sa

from registry.extensions import db
from registry.users.models import User

from . import passwords, sessions, throttle


def sign_in(email: str, password: str, client_address: str) -> User | None:
    """Return the user and start a session if the credentials are right; record a failure if not.

    Returns None on failure rather than raising, so the caller commits the failure count.
    An unknown email, a wrong password and a deactivated account look the same from outside.
    """
    email = email.strip().lower()
    throttle.check_not_throttled(email, client_address)
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        passwords.spend_time_verifying(password)
        valid = False
    else:
        valid = passwords.verify_password(user.password_hash, password) and user.active
    if not valid:
        throttle.record_failure(email, client_address)
        return None
    throttle.clear_failures(email)
    if passwords.hasher().check_needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    sessions.start_session(user)
    return user


def sign_out(session_token: str | None) -> None:
    """End the current session on the server."""
    if session_token:
        sessions.end_session(session_token)
