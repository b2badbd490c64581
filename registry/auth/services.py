"""Signing in and out: the use cases behind the sign-in form."""

import sqlalchemy as sa

from registry.auditlog.recording import record
from registry.authorities.models import Authority
from registry.core.actors import Actor
from registry.core.errors import PermissionDenied
from registry.extensions import db
from registry.users.models import User

from . import passwords, policies, queries, sessions, throttle
from .models import PasswordSignInOff


class PasswordSignInOffForUser(PermissionDenied):
    """The person's authority has turned password sign-in off: they must use single sign-on."""


def sign_in(email: str, password: str, client_address: str) -> User | None:
    """Return the user and start a session if the credentials are right; record a failure if not.

    Returns None on failure rather than raising. The attempt is counted as a failure before
    the password is checked (throttle.reserve_attempt commits that on its own), and a
    success takes it back. An unknown email, a wrong password and a deactivated account
    look the same from outside. Only someone who gave the right password learns that their
    authority has turned password sign-in off (PasswordSignInOffForUser), so the refusal
    tells a stranger nothing.
    """
    email = email.strip().lower()
    throttle.reserve_attempt(email, client_address)
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        passwords.spend_time_verifying(password)
        valid = False
    else:
        valid = passwords.verify_password(user.password_hash, password) and user.active
    if not valid:
        return None
    if queries.password_refused_for(user):
        raise PasswordSignInOffForUser("Your organisation has turned off signing in with a password: sign in with its account instead.")
    throttle.clear_failures(email)
    if passwords.hasher().check_needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    session_id = sessions.start_session(user)
    record(user, "user.sign_in", "user", user.id, {"session": session_id})
    return user


def sign_in_without_password(user: User, *, via: str) -> int:
    """Start a session for someone who proved who they are another way (an invitation or reset link); return its id.

    `via` says how, for the log: "invitation", "password_reset" or "sso:<provider>". The caller
    has checked the proof. A reset link is a password's stand-in, so it is refused where
    passwords are.
    """
    if not user.active:
        raise PermissionDenied("This account has been deactivated.")
    if via == "password_reset" and queries.password_refused_for(user):
        raise PasswordSignInOffForUser("Your organisation has turned off signing in with a password: sign in with its account instead.")
    session_id = sessions.start_session(user)
    record(user, "user.sign_in", "user", user.id, {"session": session_id, "via": via})
    return session_id


def sign_out(user: User | None, *, token: str | None = None) -> None:
    """End the signed-in user's current session on the server (or the one with `token`, when a new one has replaced it)."""
    token = token or (user.session_token if user is not None else None)
    if user is None or not token:
        return
    session_id = sessions.end_session(token)
    if session_id is not None:
        record(user, "user.sign_out", "user", user.id, {"session": session_id})


def set_password_sign_in(actor: Actor, authority: Authority, *, allowed: bool) -> bool:
    """Turn password sign-in on or off for the authority's people; return True if that changed anything."""
    if not policies.can_set_password_sign_in(actor, authority):
        raise PermissionDenied(f"Only administrators for {authority.name} can change how its people sign in.")
    current = db.session.get(PasswordSignInOff, authority.id)
    if (current is None) == allowed:
        return False
    if allowed:
        db.session.delete(current)
    else:
        db.session.add(PasswordSignInOff(authority_id=authority.id, turned_off_by_id=actor.id))
    db.session.flush()
    record(actor, "authority.password_sign_in", "authority", authority.code, {"allowed": allowed}, authorities=[authority])
    return True
