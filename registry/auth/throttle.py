"""Throttling of failed sign-ins, counted in the database so every worker process sees the count.

Each attempt is counted as a failure before its password is checked, in a short transaction
of its own that first locks the email's and the client's counts: so however many attempts
arrive at once, no more than the limit are ever checked. A successful sign-in then takes its
own attempt back, in the request's transaction.
"""

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


def _advisory_key(text: str) -> int:
    """Return a signed 64-bit number for a PostgreSQL advisory lock on a text."""
    return int.from_bytes(hashlib.sha256(b"sign-in:" + text.encode("utf-8")).digest()[:8], "big", signed=True)


def _serialise(connection, email_hash: str, client_address: str) -> None:
    """Make attempts on the same email or from the same client take turns until this transaction ends."""
    if connection.dialect.name == "postgresql":
        # In a fixed order, so two attempts sharing both keys cannot wait for each other.
        for key in sorted({_advisory_key("email:" + email_hash), _advisory_key("client:" + client_address)}):
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(key)))
    # SQLite: the first statement after this is a DELETE, which takes the database's single
    # write lock, so the whole reservation runs alone.


def reserve_attempt(email: str, client_address: str) -> int:
    """Count this attempt as a failure, unless the email or the client has failed too often recently.

    Returns the id of the failure recorded for it, to take back if the sign-in succeeds.
    The same rule applies whether or not an account has the email, so the refusal says
    nothing about which emails have accounts. Commits on a connection of its own.
    """
    config = current_app.config
    email_hash, client_address = _email_key(email), client_address[:45]
    since = _window_start()
    with db.engine.begin() as connection:
        _serialise(connection, email_hash, client_address)
        connection.execute(sa.delete(SignInFailure).where(SignInFailure.failed_at < since))
        counts = connection.execute(
            sa.select(
                sa.func.count().filter(SignInFailure.email_hash == email_hash),
                sa.func.count().filter(SignInFailure.client_address == client_address),
            ).where(sa.or_(SignInFailure.email_hash == email_hash, SignInFailure.client_address == client_address))
        ).one()
        if counts[0] >= config["SIGN_IN_MAX_FAILURES_PER_EMAIL"] or counts[1] >= config["SIGN_IN_MAX_FAILURES_PER_ADDRESS"]:
            raise Throttled(THROTTLED_MESSAGE.format(minutes=config["SIGN_IN_THROTTLE_MINUTES"]))
        return connection.execute(
            sa.insert(SignInFailure)
            .values(email_hash=email_hash, client_address=client_address, failed_at=utcnow())
            .returning(SignInFailure.id)
        ).scalar_one()


def clear_failures(email: str) -> None:
    """Forget the failures for an email, this attempt's included, after it signs in successfully."""
    db.session.execute(sa.delete(SignInFailure).where(SignInFailure.email_hash == _email_key(email)))
