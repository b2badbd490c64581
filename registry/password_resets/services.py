"""Use cases for forgotten passwords: ask for a reset link, choose a new password with it; and telling people their password changed.

Asking answers the same whether or not the address has an account, so the page cannot be
used to find out who has one: the same throttle, the same token made and hashed, the same
email composed; only an active account's request is stored and sent.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from registry.auditlog.recording import record
from registry.auth import passwords, sessions, throttle
from registry.auth import services as auth_services
from registry.core import events
from registry.core.db import utcnow
from registry.core.errors import Conflict, ValidationFailed
from registry.core.tokens import new_secret, secret_hash
from registry.extensions import db
from registry.outbox.services import enqueue
from registry.users import queries as user_queries
from registry.users.events import PasswordChanged
from registry.users.models import User

from . import messages
from .models import PasswordReset, PasswordResetRequest

RESET_REQUESTS = throttle.Limit(
    "password-reset", PasswordResetRequest, "requested_at",
    "PASSWORD_RESET_MAX_PER_EMAIL", "PASSWORD_RESET_MAX_PER_ADDRESS", "PASSWORD_RESET_THROTTLE_MINUTES",
    "You have asked for too many password reset emails. Wait {minutes} minutes, then try again.",
)


def _valid_minutes() -> int:
    return current_app.config["PASSWORD_RESET_VALID_MINUTES"]


def request_reset(email: str, client_address: str) -> None:
    """Email a reset link to the address if an active account has it; to anyone else, nothing. Either way, return nothing.

    Throttled per address and per client (raises Throttled) before anything else, for every
    address alike. Not audited: a request changes nothing until its link is used (that is
    recorded), and an entry only for addresses with accounts would say which have one. The
    link sent stays in password_resets, and the email in the outbox.
    """
    email = email.strip().lower()
    throttle.reserve_attempt(email, client_address, RESET_REQUESTS)
    token = new_secret()
    token_hash = secret_hash(token)
    minutes = _valid_minutes()
    message = messages.reset_link(token, minutes)
    body, html_body = message.text(), message.html()
    user = user_queries.user_by_email(email)
    if user is None or not user.active:
        return
    now = utcnow()
    reset = PasswordReset(user_id=user.id, token_hash=token_hash, created_at=now, expires_at=now + timedelta(minutes=minutes))
    db.session.add(reset)
    db.session.flush()
    enqueue(key=f"password-reset:{reset.id}", to_address=user.email, user_id=user.id, subject=message.subject,
            body=body, html_body=html_body, holds_secret=True)


def why_unusable(reset: PasswordReset) -> str | None:
    """Return why the reset link cannot be used now ("used", "expired", "deactivated"), or None."""
    if reset.used_at is not None:
        return "used"
    if utcnow() >= reset.expires_at:
        return "expired"
    if not reset.user.active:
        return "deactivated"
    return None


def reset_password(reset: PasswordReset, password: str) -> User:
    """Set the person's new password from their reset link, end all their sessions, and sign them in afresh.

    Every other reset link of theirs stops working too. The user returned carries its new
    session's token, for the browser's cookie.
    """
    problem = why_unusable(reset)
    if problem is not None:
        raise Conflict(f"This link cannot be used: it has been {problem}.")
    user = reset.user
    problems = passwords.password_problems(password, email=user.email, name=user.name)
    if problems:
        raise ValidationFailed({"password": problems})
    now = utcnow()
    # Only one use wins, even two at the same moment.
    won = db.session.execute(
        sa.update(PasswordReset).where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None)).values(used_at=now)
    ).rowcount
    if won != 1:
        raise Conflict("This link has just been used.")
    db.session.execute(
        sa.update(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None)).values(used_at=now)
    )
    user.password_hash = passwords.hash_password(password)
    ended = sessions.end_all_sessions(user)
    # They have shown they hold the address: earlier failed sign-ins no longer hold them back.
    throttle.clear_failures(user.email)
    db.session.flush()
    told = events.emit(PasswordChanged(user, now, reset=True))
    record(user, "user.reset_password", "user", user.id, {"sessions_ended": ended, **told})
    auth_services.sign_in_without_password(user, via="password_reset")
    return user


def tell_of_password_change(event: PasswordChanged) -> dict:
    """Email the person whose password was changed or reset, in case it was not them; report it for the audit entry."""
    user = event.user
    message = messages.password_changed(user, reset=event.reset)
    enqueue(key=f"password-changed:{user.id}:{new_secret()[:16]}", to_address=user.email, user_id=user.id,
            subject=message.subject, body=message.text(), html_body=message.html())
    return {"emailed": True}
