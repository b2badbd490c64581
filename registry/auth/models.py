"""Signed-in sessions kept on the server, and the record of failed sign-ins used for throttling."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core.db import UTCDateTime, utcnow
from registry.extensions import db
from registry.users.models import User


class UserSession(db.Model):
    """One signed-in browser session; the cookie holds a random token, this row its SHA-256.

    Keeping sessions on the server means signing out, deactivating a user or an idle
    timeout ends the session for good, even if someone kept a copy of the cookie.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class SignInFailure(db.Model):
    """A failed sign-in, counted per email address and per client address over a window.

    Counting in the database rather than in process memory makes the throttle hold across
    every worker process and every app server. The email is kept only as a hash.
    """

    __tablename__ = "sign_in_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_hash: Mapped[str] = mapped_column(sa.String(64), index=True)
    client_address: Mapped[str] = mapped_column(sa.String(45), index=True)
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class PasswordSignInOff(db.Model):
    """An authority whose people may no longer sign in with a password (they use single sign-on).

    A row means off; no row, the default, means passwords still work. Someone who belongs to
    several authorities is refused a password if any one of them has turned it off.
    """

    __tablename__ = "password_sign_in_off"

    authority_id: Mapped[int] = mapped_column(sa.ForeignKey("authorities.id", ondelete="CASCADE"), primary_key=True)
    turned_off_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    turned_off_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
