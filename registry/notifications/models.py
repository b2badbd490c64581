"""A person's notifications (their inbox) and how they want to hear of each kind of event."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core.db import UTCDateTime, partial_index, utcnow
from registry.extensions import db

from .kinds import DELIVERIES, KINDS

TITLE_LENGTH = 300
LINK_LENGTH = 500


def _one_of(column: str, values) -> str:
    return f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")"


class Notice(db.Model):
    """What a group of people were told of one event, in words: written once, however many it is for.

    Its key names the event and who it is for, so that telling them again of the same event (a
    scheduled run repeated) writes nothing, e.g. agreement.submit:DSA-2026-0001:12:since-0.
    """

    __tablename__ = "notices"
    __table_args__ = (sa.CheckConstraint(_one_of("kind", [kind.name for kind in KINDS]), name="known_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(TITLE_LENGTH))
    body: Mapped[str] = mapped_column(sa.Text)
    # Where to act: a path of the registry's own (/agreements/DSA-2026-0001/approve), never another site.
    link: Mapped[str] = mapped_column(sa.String(LINK_LENGTH))
    agreement_reference: Mapped[str | None] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Notification(db.Model):
    """One person's copy of a notice, in their inbox: whether they have read it, and whether it waits for their digest.

    Keyed by the person first: their inbox, newest first, is a walk along the primary key.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        # The header counts a person's unread ones on every page.
        partial_index("ix_notifications_unread", "user_id", where="read_at IS NULL"),
        partial_index("ix_notifications_digest_waiting", "user_id", where="digest_waiting"),
    )

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    notice_id: Mapped[int] = mapped_column(sa.ForeignKey("notices.id", ondelete="CASCADE"), primary_key=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The person chose a daily digest for this kind: the next digest lists it, then clears this.
    digest_waiting: Mapped[bool] = mapped_column(default=False)

    notice: Mapped[Notice] = relationship(lazy="joined", innerjoin=True)

    @property
    def id(self) -> int:
        """The notice's id: with the person reading it, it names their copy."""
        return self.notice_id

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    # What was said is the notice's: read through it, as the inbox and the API show it.
    kind = property(lambda self: self.notice.kind)
    title = property(lambda self: self.notice.title)
    body = property(lambda self: self.notice.body)
    link = property(lambda self: self.notice.link)
    agreement_reference = property(lambda self: self.notice.agreement_reference)
    created_at = property(lambda self: self.notice.created_at)


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
