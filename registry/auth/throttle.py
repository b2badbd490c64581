"""Throttling of failed sign-ins, counted in the database so every worker process sees the count."""

import hashlib
import hmac
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from registry.core.db import utcnow
from registry.core.errors import Throttled
from registry.extensions import db

from .models import SignInFailure

THROTTLED_MESSAGE = "You have tried to sign in too many times. Wait {minutes} minutes, then try again."


def _window_start():
    return utcnow() - timedelta(minutes=current_app.config["SIGN_IN_THROTTLE_MINUTES"])


def _email_key(email: str) -> str:
    # Keyed, so the table cannot be turned back into emails by hashing a list of addresses.
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    return hmac.new(key, email.strip().lower().encode("utf-8"), hashlib.sha256).hexdigest()


def check_not_throttled(email: str, client_address: str) -> None:
    """Refuse to try a sign-in when this email or client has failed too often recently.

    The same rule applies whether or not an account has the email, so the refusal says
    nothing about which emails have accounts.
    """
    config = current_app.config
    since = _window_start()
    failures_for_email = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(SignInFailure)
        .where(SignInFailure.email_hash == _email_key(email), SignInFailure.failed_at >= since)
    )
    failures_from_client = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(SignInFailure)
        .where(SignInFailure.client_address == client_address, SignInFailure.failed_at >= since)
    )
    if (
        failures_for_email >= config["SIGN_IN_MAX_FAILURES_PER_EMAIL"]
        or failures_from_client >= config["SIGN_IN_MAX_FAILURES_PER_ADDRESS"]
    ):
        raise Throttled(THROTTLED_MESSAGE.format(minutes=config["SIGN_IN_THROTTLE_MINUTES"]))


def record_failure(email: str, client_address: str) -> None:
    """Count a failed sign-in, and forget failures older than the window."""
    db.session.execute(sa.delete(SignInFailure).where(SignInFailure.failed_at < _window_start()))
    db.session.add(SignInFailure(email_hash=_email_key(email), client_address=client_address[:45]))


def clear_failures(email: str) -> None:
    """Forget the failures for an email after it signs in successfully."""
    db.session.execute(sa.delete(SignInFailure).where(SignInFailure.email_hash == _email_key(email)))
