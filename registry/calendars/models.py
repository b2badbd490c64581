"""Calendar feeds: a secret address per person and authority, kept only as a hash, which can be replaced."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.authorities.models import Authority
from registry.core.db import UTCDateTime, utcnow
from registry.extensions import db
from registry.users.models import User


class CalendarFeed(db.Model):
    """A person's feed of one authority's dates; the secret in its address is kept as a SHA-256."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    authority_id: Mapped[int] = mapped_column(sa.ForeignKey("authorities.id"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    authority: Mapped[Authority] = relationship()
