"""An invitation to join the registry with a role for an authority, known by the hash of its link's token."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.authorities.models import Authority
from registry.core.db import UTCDateTime, partial_index, utcnow
from registry.extensions import db
from registry.users.models import User
from registry.users.roles import Role


class InvitationStatus(StrEnum):
    """Where an invitation stands: only a pending one's link can be used."""

    PENDING = "pending"
    EXPIRED = "expired"
    ACCEPTED = "accepted"
    CANCELLED = "cancelled"


class Invitation(db.Model):
    """A person invited by email to have a role (and perhaps to administer) for one authority.

    Only the SHA-256 of the link's token is kept: the token itself is in the email alone. A
    resend replaces the hash, so the link sent before stops working. An invitation is open
    until it is accepted or cancelled; an open one past its expiry can be sent again.
    """

    __tablename__ = "invitations"
    __table_args__ = (
        sa.CheckConstraint("role IN (" + ", ".join(f"'{role.value}'" for role in Role) + ")", name="known_role"),
        sa.CheckConstraint("accepted_at IS NULL OR cancelled_at IS NULL", name="accepted_or_cancelled"),
        # One open invitation per person and authority: inviting again means resending it.
        partial_index(
            "uq_invitations_open_email_authority", "email", "authority_id",
            where="accepted_at IS NULL AND cancelled_at IS NULL", unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)  # stored lower-cased
    authority_id: Mapped[int] = mapped_column(sa.ForeignKey("authorities.id"), index=True)
    role: Mapped[str] = mapped_column(sa.String(20))
    # Whether accepting also makes them an administrator for the authority.
    administrator: Mapped[bool] = mapped_column(default=False)
    # 32 random bytes: a plain SHA-256 is enough, there is nothing to guess.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # None when the command line invited them.
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # last sent (or resent)
    times_sent: Mapped[int] = mapped_column(default=1)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    authority: Mapped[Authority] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
    accepted_by: Mapped[User | None] = relationship(foreign_keys=[accepted_by_id])

    @property
    def is_open(self) -> bool:
        """True until it is accepted or cancelled (an expired one is still open: it can be resent)."""
        return self.accepted_at is None and self.cancelled_at is None

    def status(self, now: datetime) -> InvitationStatus:
        """Return where the invitation stands at a moment."""
        if self.accepted_at is not None:
            return InvitationStatus.ACCEPTED
        if self.cancelled_at is not None:
            return InvitationStatus.CANCELLED
        if now >= self.expires_at:
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    @property
    def role_label(self) -> str:
        return Role(self.role).label.lower()
