"""What sign-off keeps: the reminders a party still to approve has had (nudges and chasers), and each completed approval cycle."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.agreements.models import AgreementVersion
from registry.authorities.models import Authority
from registry.core.db import UTCDateTime, postgresql_only, utcnow
from registry.extensions import db

# A nudge: an approver of the lead asked the party's approvers to get on with it.
NUDGE = "nudge"
# The scheduled chasers: the party's approvers after SIGNOFF_CHASE_AFTER_DAYS, then (after
# twice that) its approvers again and its authority's administrators.
REMINDER = "reminder"
ESCALATION = "escalation"
KINDS = (NUDGE, REMINDER, ESCALATION)


class Chase(db.Model):
    """One reminder to a party that had not yet approved a proposed version, and when it went."""

    __tablename__ = "signoff_chases"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('nudge', 'reminder', 'escalation')", name="known_kind"),
        sa.CheckConstraint("kind <> 'nudge' OR sent_by_id IS NOT NULL", name="nudge_has_a_sender"),
        # Each scheduled chaser goes once per version and party, however often (or however
        # many at once) the scheduled job runs: the second writer finds the row there.
        sa.Index(
            "uq_signoff_chases_once", "version_id", "authority_id", "kind", unique=True,
            sqlite_where=sa.text("kind <> 'nudge'"), postgresql_where=sa.text("kind <> 'nudge'"),
        ),
        # The agreement's page reads the chases of its proposed version.
        sa.Index("ix_signoff_chases_version_authority", "version_id", "authority_id", "sent_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement_versions.id", ondelete="CASCADE"))
    authority_id: Mapped[int] = mapped_column(sa.ForeignKey("authorities.id"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    # Who nudged; None for the scheduled job.
    sent_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # The registry's day it went (core.clock.today): "once every 3 days" counts in these days.
    sent_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    authority: Mapped[Authority] = relationship()


class SignOffCycle(db.Model):
    """One completed approval cycle: an agreement's or an amendment's, from its first submission to the last party's approval.

    The workflow's history (agreement_events) summarised as it is written: registry/signoff/cycles.py
    records a row in the same transaction as the approval that completes the cycle, and can
    rebuild the rows from the history. The sign-off figures read the history through it.
    """

    __tablename__ = "signoff_cycles"
    __table_args__ = (
        # The figures: the cycles completed in a window and how long each took, from the index alone.
        sa.Index("ix_signoff_cycles_in_force_at_days", "in_force_at", "days"),
    )

    # The version every party approved. A version is approved once, so a cycle is recorded once;
    # one authority's figures join this version's parties.
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agreement_versions.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    # The cycle's first submission: versions sent back for changes count from it.
    first_submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The last party's approval (the history event that completed the cycle).
    in_force_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Days from the one to the other, with their fraction: what the figures' percentiles are of.
    days: Mapped[float] = mapped_column(sa.Double)


# The versions waiting for approval, longest waiting first (the sign-off pages' lists), on
# PostgreSQL only: covering and partial, a small index read on its own at national scale; an
# embedded SQLite registry is small enough to do without.
SIGNOFF_INDEXES = (
    postgresql_only(sa.Index(
        "ix_agreement_versions_proposed", AgreementVersion.__table__.c.submitted_at,
        postgresql_include=["id"], postgresql_where=sa.text("state = 'proposed'"),
    )),
)
