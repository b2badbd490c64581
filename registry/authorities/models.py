"""Authorities: every UK council from the reference data, and partner bodies added by admins."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core.db import UTCDateTime, utcnow
from registry.extensions import db

from .types import ALL_TYPES, LOCAL_AUTHORITY_TYPES

authority_successors = sa.Table(
    "authority_successors",
    db.metadata,
    sa.Column("predecessor_id", sa.ForeignKey("authorities.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("successor_id", sa.ForeignKey("authorities.id", ondelete="CASCADE"), primary_key=True),
    sa.CheckConstraint("predecessor_id <> successor_id", name="not_own_successor"),
)


class Authority(db.Model):
    """A public body that can be party to an agreement; `code` is its stable identity."""

    __tablename__ = "authorities"
    __table_args__ = (
        sa.CheckConstraint(
            "type IN (" + ", ".join(f"'{t}'" for t in ALL_TYPES) + ")",
            name="known_type",
        ),
        sa.CheckConstraint("end_date IS NULL OR start_date IS NULL OR start_date <= end_date", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    short_name: Mapped[str] = mapped_column(sa.String(200))
    type: Mapped[str] = mapped_column(sa.String(20), index=True)
    gss_code: Mapped[str | None] = mapped_column(sa.String(9), index=True)
    ods_code: Mapped[str | None] = mapped_column(sa.String(10), unique=True)
    nation: Mapped[str | None] = mapped_column(sa.String(40))
    region: Mapped[str | None] = mapped_column(sa.String(60))
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    successors: Mapped[list["Authority"]] = relationship(
        secondary=authority_successors,
        primaryjoin=id == authority_successors.c.predecessor_id,
        secondaryjoin=id == authority_successors.c.successor_id,
        back_populates="predecessors",
        order_by="Authority.name",
    )
    predecessors: Mapped[list["Authority"]] = relationship(
        secondary=authority_successors,
        primaryjoin=id == authority_successors.c.successor_id,
        secondaryjoin=id == authority_successors.c.predecessor_id,
        back_populates="successors",
        order_by="Authority.name",
    )

    @property
    def type_name(self) -> str:
        """Return the type as people say it, e.g. "Unitary authority"."""
        return ALL_TYPES[self.type]

    @property
    def is_local_authority(self) -> bool:
        """Return True for councils from the reference data, False for partner bodies."""
        return self.type in LOCAL_AUTHORITY_TYPES

    def is_current(self, on: date) -> bool:
        """Return True if the authority exists on the given day."""
        started = self.start_date is None or self.start_date <= on
        not_ended = self.end_date is None or self.end_date >= on
        return started and not_ended

    def __repr__(self) -> str:
        return f"<Authority {self.code}>"
