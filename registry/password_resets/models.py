"""Password reset links (known by the hash of their token) and the count of reset requests, for throttling."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core.db import UTCDateTime, utcnow
from registry.extensions import db
from registry.users.models import User


class PasswordReset(db.Model):
    """A link that lets one person choose a new password: single use, valid for an hour.

    Only the SHA-256 of its token is kept; the token itself is in the email alone. Written
    only for an active account: a request for any other address leaves no row.
    """

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # 32 random bytes: a plain SHA-256 is enough, there is nothing to guess.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When it was used, or stopped working because another of the person's links was.
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class PasswordResetRequest(db.Model):
    """A request for a reset email, counted per email address and per client address to throttle them (auth/throttle.py).

    Written for every request, whether or not an account has the address, so that the count
    (and the refusal when it is reached) says nothing about which addresses have accounts.
    The email is kept only as a keyed hash.
    """

    __tablename__ = "password_reset_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_hash: Mapped[str] = mapped_column(sa.String(64), index=True)
    client_address: Mapped[str] = mapped_column(sa.String(45), index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
