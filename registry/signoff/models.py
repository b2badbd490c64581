"""The reminders a party still to approve a proposed version has had: nudges by the lead, and the scheduled chasers."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.agreements.models import AgreementEvent, AgreementVersion
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


# Indexes on the agreements' history and versions for the questions sign-off asks of them at
# national scale (registry/signoff/queries.py), declared here, where the questions are. On
# PostgreSQL only: covering (INCLUDE) and partial, so each is a small index read on its own;
# an embedded SQLite registry is small enough to do without.
_IN_FORCE = sa.text("action = 'approve' AND to_status = 'approved'")
_EVENTS = AgreementEvent.__table__
SIGNOFF_INDEXES = (
    # Each agreement's submissions, and the events that end an approval cycle, in order.
    postgresql_only(sa.Index(
        "ix_agreement_events_submissions", _EVENTS.c.agreement_id, _EVENTS.c.id,
        postgresql_include=["created_at"], postgresql_where=sa.text("action = 'submit'"),
    )),
    postgresql_only(sa.Index(
        "ix_agreement_events_cycle_ends", _EVENTS.c.agreement_id, _EVENTS.c.id,
        postgresql_where=sa.text("action = 'withdraw' OR (action = 'approve' AND to_status = 'approved')"),
    )),
    # The last approvals (in force), by when (every authority's figures) and by version (one authority's).
    postgresql_only(sa.Index(
        "ix_agreement_events_in_force_at", _EVENTS.c.created_at,
        postgresql_include=["agreement_id", "id", "version_id"], postgresql_where=_IN_FORCE,
    )),
    postgresql_only(sa.Index(
        "ix_agreement_events_in_force_version", _EVENTS.c.version_id,
        postgresql_include=["agreement_id", "id", "created_at"], postgresql_where=_IN_FORCE,
    )),
    # The versions waiting for approval, longest waiting first.
    postgresql_only(sa.Index(
        "ix_agreement_versions_proposed", AgreementVersion.__table__.c.submitted_at,
        postgresql_include=["id"], postgresql_where=sa.text("state = 'proposed'"),
    )),
)
