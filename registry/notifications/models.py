"""A person's notifications (their inbox) and how they want to hear of each kind of event."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from registry.core.db import UTCDateTime, utcnow
from registry.extensions import db

from .kinds import DELIVERIES, KINDS

TITLE_LENGTH = 300
LINK_LENGTH = 500


def _one_of(column: str, values) -> str:
    return f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")"


class Notification(db.Model):
    """One message to one person: shown in their inbox, and emailed at once or in the day's digest if they chose."""

    __tablename__ = "notifications"
    __table_args__ = (
        sa.CheckConstraint(_one_of("kind", [kind.name for kind in KINDS]), name="known_kind"),
        # The inbox lists a person's newest first; the header counts their unread ones.
        sa.Index("ix_notifications_user_newest", "user_id", "id"),
        sa.Index(
            "ix_notifications_unread", "user_id",
            postgresql_where=sa.text("read_at IS NULL"), sqlite_where=sa.text("read_at IS NULL"),
        ),
        sa.Index(
            "ix_notifications_digest_waiting", "user_id",
            postgresql_where=sa.text("digest_waiting"), sqlite_where=sa.text("digest_waiting"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What it is about and for whom, so that it is written once however often its cause is
    # looked at again (a chaser run twice), e.g. agreement.submit:DSA-2026-0001:3:user-7.
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(TITLE_LENGTH))
    body: Mapped[str] = mapped_column(sa.Text)
    # Where to act: a path of the registry's own (/agreements/DSA-2026-0001/approve), never another site.
    link: Mapped[str] = mapped_column(sa.String(LINK_LENGTH))
    agreement_reference: Mapped[str | None] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The person chose a daily digest for this kind: the next digest lists it, then clears this.
    digest_waiting: Mapped[bool] = mapped_column(default=False)

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(db.Model):
    """How a person wants to hear of one kind of event; without a row, the kind's default for them applies."""

    __tablename__ = "notification_preferences"
    __table_args__ = (
        sa.CheckConstraint(_one_of("kind", [kind.name for kind in KINDS]), name="known_kind"),
        sa.CheckConstraint(_one_of("delivery", DELIVERIES), name="known_delivery"),
    )

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    delivery: Mapped[str] = mapped_column(sa.String(10))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
