"""What each person wants to be reminded of, and every message sent (or to send), kept in an outbox."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core.db import UTCDateTime, utcnow
from registry.extensions import db
from registry.users.models import User


class ReminderPreference(db.Model):
    """Which reminders a person receives; without a row, they receive them all."""

    __tablename__ = "reminder_preferences"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    reviews: Mapped[bool] = mapped_column(default=True)
    obligations: Mapped[bool] = mapped_column(default=True)
    overdue: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class OutboxMessage(db.Model):
    """One email: written once (its key makes each reminder unique), then sent over SMTP."""

    __tablename__ = "outbox_messages"
    # Each run looks for what is still to send; a partial index keeps that quick however
    # many sent messages the outbox keeps.
    __table_args__ = (
        sa.Index(
            "ix_outbox_messages_unsent", "id",
            postgresql_where=sa.text("sent_at IS NULL"), sqlite_where=sa.text("sent_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What the message is about and for whom, e.g. review:DSA-2026-0001:2027-11-27:30:user-7.
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(sa.String(500), default="")
    # After the server refused this message, not before this: retries back off so that a
    # refused address is not hammered every few minutes.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the message can never be sent as it stands (it cannot even be made into an
    # email, e.g. its stored address is not one): it is not tried again, and says why.
    given_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User | None] = relationship()
