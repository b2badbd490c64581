"""Server-side sessions: start one at sign-in, load it on each request, end it at sign-out."""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_login import LoginManager

from registry.core.db import utcnow
from registry.core.tokens import new_secret, secret_hash
from registry.extensions import db
from registry.users.models import User

from .models import UserSession

# last_seen_at is written at most this often, so a page view does not always mean a write.
TOUCH_INTERVAL = timedelta(minutes=1)


def start_session(user: User) -> int:
    """Create a session for the user; return its id. The user carries its token for the cookie."""
    token = new_secret()
    session_row = UserSession(user_id=user.id, token_hash=secret_hash(token))
    db.session.add(session_row)
    db.session.flush()
    user.session_token = token
    return session_row.id


def end_session(token: str) -> int | None:
    """End the session with this token if it is still open; return its id, or None."""
    session_row = db.session.scalar(
        sa.select(UserSession).where(UserSession.token_hash == secret_hash(token), UserSession.ended_at.is_(None))
    )
    if session_row is None:
        return None
    session_row.ended_at = utcnow()
    db.session.flush()
    return session_row.id


def end_all_sessions(user: User, *, keep: str | None = None) -> int:
    """End every open session of the user but the one with the token `keep`, if given; return how many ended.

    On deactivation and on a password reset, all of them; on a change of password, all but
    the one the person changed it in.
    """
    statement = sa.update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keep is not None:
        statement = statement.where(UserSession.token_hash != secret_hash(keep))
    return db.session.execute(statement.values(ended_at=utcnow())).rowcount


def load_user_for_session(token: str) -> User | None:
    """Return the user of an open, unexpired session with this token, or None."""
    session_row = db.session.scalar(
        sa.select(UserSession).where(UserSession.token_hash == secret_hash(token), UserSession.ended_at.is_(None))
    )
    if session_row is None or not session_row.user.active:
        return None
    now = utcnow()
    config = current_app.config
    idle_limit = session_row.last_seen_at + timedelta(minutes=config["SESSION_IDLE_MINUTES"])
    absolute_limit = session_row.created_at + timedelta(hours=config["SESSION_ABSOLUTE_HOURS"])
    if now > idle_limit or now > absolute_limit:
        return None
    if now - session_row.last_seen_at > TOUCH_INTERVAL:
        _touch(session_row.id, now)
    user = session_row.user
    user.session_token = token
    return user


def _touch(session_id: int, now) -> None:
    # Its own short transaction: reading a page must not depend on the request's unit of work.
    with db.engine.begin() as connection:
        connection.execute(sa.update(UserSession).where(UserSession.id == session_id).values(last_seen_at=now))


def init_login_manager(login_manager: LoginManager) -> None:
    """Tell Flask-Login how to load users and where to send people who must sign in."""
    login_manager.user_loader(load_user_for_session)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    # Sessions are bound to a server-side row, so Flask-Login's own protection is not needed.
    login_manager.session_protection = None
