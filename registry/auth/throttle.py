"""Throttling, counted in the database so every worker process sees the count: failed sign-ins, and whatever else a feature limits.

Each attempt is counted before it is checked, in a short transaction of its own that first
locks the email's and the client's counts: so however many attempts arrive at once, no more
than the limit are ever checked. A successful sign-in then takes its own attempt back, in
the request's transaction.

What is counted, and how much is allowed, is a `Limit`: sign-in failures here (SIGN_IN);
another feature may count its own attempts (password reset requests) in a table of its own
with the same three columns.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from registry.core.db import utcnow
from registry.core.errors import Throttled
from registry.extensions import db

from .models import SignInFailure

THROTTLED_MESSAGE = "You have tried to sign in too many times. Wait {minutes} minutes, then try again."


@dataclass(frozen=True)
class Limit:
    """One kind of attempt that is throttled: where it is counted, and the settings that bound it.

    `model` has the columns email_hash, client_address and the time column named. The limits
    apply whether or not an account has the email, so a refusal says nothing about which
    emails have accounts.
    """

    name: str  # tells its locks apart from other limits'
    model: type
    time_column: str
    per_email_setting: str
    per_address_setting: str
    minutes_setting: str
    message: str  # with {minutes}

    @property
    def counted_at(self):
        return getattr(self.model, self.time_column)

    def minutes(self) -> int:
        return current_app.config[self.minutes_setting]


SIGN_IN = Limit(
    "sign-in", SignInFailure, "failed_at",
    "SIGN_IN_MAX_FAILURES_PER_EMAIL", "SIGN_IN_MAX_FAILURES_PER_ADDRESS", "SIGN_IN_THROTTLE_MINUTES",
    THROTTLED_MESSAGE,
)


def email_key(email: str) -> str:
    """Return the keyed hash an email is counted under."""
    # Keyed, so the table cannot be turned back into emails by hashing a list of addresses.
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    return hmac.new(key, email.strip().lower().encode("utf-8"), hashlib.sha256).hexdigest()


def _advisory_key(name: str, text: str) -> int:
    """Return a signed 64-bit number for a PostgreSQL advisory lock on a text."""
    return int.from_bytes(hashlib.sha256(f"{name}:".encode() + text.encode("utf-8")).digest()[:8], "big", signed=True)


def _serialise(connection, limit: Limit, email_hash: str, client_address: str) -> None:
    """Make attempts on the same email or from the same client take turns until this transaction ends."""
    if connection.dialect.name == "postgresql":
        # In a fixed order, so two attempts sharing both keys cannot wait for each other.
        keys = {_advisory_key(limit.name, "email:" + email_hash), _advisory_key(limit.name, "client:" + client_address)}
        for key in sorted(keys):
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(key)))
    # SQLite: the first statement after this is a DELETE, which takes the database's single
    # write lock, so the whole reservation runs alone.


def reserve_attempt(email: str, client_address: str, limit: Limit = SIGN_IN) -> int:
    """Count this attempt, unless the email or the client has made too many recently (raise Throttled).

    Returns the id of the row recorded for it (for sign-in, to take back if it succeeds).
    The same rule applies whether or not an account has the email, so the refusal says
    nothing about which emails have accounts. Commits on a connection of its own.
    """
    config = current_app.config
    model, counted_at = limit.model, limit.counted_at
    email_hash, client_address = email_key(email), client_address[:45]
    since = utcnow() - timedelta(minutes=limit.minutes())
    with db.engine.begin() as connection:
        _serialise(connection, limit, email_hash, client_address)
        connection.execute(sa.delete(model).where(counted_at < since))
        counts = connection.execute(
            sa.select(
                sa.func.count().filter(model.email_hash == email_hash),
                sa.func.count().filter(model.client_address == client_address),
            ).where(sa.or_(model.email_hash == email_hash, model.client_address == client_address))
        ).one()
        if counts[0] >= config[limit.per_email_setting] or counts[1] >= config[limit.per_address_setting]:
            raise Throttled(limit.message.format(minutes=limit.minutes()))
        return connection.execute(
            sa.insert(model)
            .values(email_hash=email_hash, client_address=client_address, **{limit.time_column: utcnow()})
            .returning(model.id)
        ).scalar_one()


def clear_failures(email: str, limit: Limit = SIGN_IN) -> None:
    """Forget the attempts counted for an email (after it signs in successfully, this attempt's included)."""
    db.session.execute(sa.delete(limit.model).where(limit.model.email_hash == email_key(email)))
