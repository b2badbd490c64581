"""What each person wants to be reminded of (the messages themselves are in the outbox, registry/outbox)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from registry.core.db import UTCDateTime, utcnow
from registry.extensions import db


class ReminderPreference(db.Model):
    """Which reminders a person receives; without a row, they receive them all."""

    __tablename__ = "reminder_preferences"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    reviews: Mapped[bool] = mapped_column(default=True)
    obligations: Mapped[bool] = mapped_column(default=True)
    overdue: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

