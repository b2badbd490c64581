"""Obligations, part of each agreement version, and attestations by the owing party's approver.

An obligation's `lineage` stays the same when a version is copied for an amendment, so
attestations and due dates carry on across versions of the same agreement.
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.agreements.models import AgreementVersion, Party
from registry.authorities.models import Authority
from registry.core.db import UTCDateTime, utcnow
from registry.extensions import db
from registry.users.models import User

OBLIGATION_TYPES = {
    "retention": "Retention and deletion",
    "breach_notification": "Breach notification",
    "security_standard": "Security standard",
    "onward_sharing": "Onward sharing restriction",
    "subject_rights": "Subject rights handling",
    "data_quality": "Data quality",
    "review_participation": "Review participation",
    "other": "Other",
}
DUE_KINDS = {
    "date": "By a date",
    "recurring": "Every so many months",
    "event": "Within a time of an event",
}
ATTESTATION_STATUSES = {"met": "Met", "partly_met": "Partly met", "not_met": "Not met"}
MET = "met"
# Only "met" answers a due date; these leave it open, and need a note saying what was missed.
NOT_MET = ("partly_met", "not_met")


def _one_of(column: str, values) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class Obligation(db.Model):
    """Something one party owes another (or all the others), and when it falls due."""

    __tablename__ = "obligations"
    __table_args__ = (
        sa.CheckConstraint(_one_of("type", OBLIGATION_TYPES), name="known_type"),
        sa.CheckConstraint(_one_of("due_kind", DUE_KINDS), name="known_due_kind"),
        sa.CheckConstraint("due_kind <> 'date' OR due_date IS NOT NULL", name="date_has_a_date"),
        sa.CheckConstraint(
            "due_kind <> 'recurring' OR (due_date IS NOT NULL AND every_months > 0)", name="recurring_has_a_period"
        ),
        sa.CheckConstraint("due_kind <> 'event' OR (event <> '' AND within_hours > 0)", name="event_has_a_limit"),
        sa.CheckConstraint("owed_to_party_id IS NULL OR owed_to_party_id <> owed_by_party_id", name="owed_to_another"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement_versions.id", ondelete="CASCADE"), index=True)
    lineage: Mapped[str] = mapped_column(sa.String(32), index=True)
    owed_by_party_id: Mapped[int] = mapped_column(sa.ForeignKey("parties.id", ondelete="CASCADE"))
    # None: owed to every other party.
    owed_to_party_id: Mapped[int | None] = mapped_column(sa.ForeignKey("parties.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(sa.String(30))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    due_kind: Mapped[str] = mapped_column(sa.String(20))
    # For "date", the date; for "recurring", the first time it falls due.
    due_date: Mapped[date | None]
    every_months: Mapped[int | None]
    event: Mapped[str] = mapped_column(sa.String(200), default="")
    within_hours: Mapped[int | None]

    version: Mapped[AgreementVersion] = relationship(back_populates="obligations")
    owed_by: Mapped[Party] = relationship(foreign_keys=[owed_by_party_id])
    owed_to: Mapped[Party | None] = relationship(foreign_keys=[owed_to_party_id])


class Attestation(db.Model):
    """The owing party's approver saying whether an obligation was met, for the date it fell due."""

    __tablename__ = "attestations"
    __table_args__ = (
        sa.CheckConstraint(_one_of("status", ATTESTATION_STATUSES), name="known_status"),
        # A due date's attestations are numbered 1, 2, … (a date stays open until one says met):
        # a form sent twice, or two approvers at once, cannot write the same one twice (nor, by
        # moving on, answer the next period unasked).
        sa.Index(
            "uq_attestations_lineage_due_on_sequence", "lineage", "due_on", "sequence", unique=True,
            postgresql_where=sa.text("due_on IS NOT NULL"), sqlite_where=sa.text("due_on IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_id: Mapped[int] = mapped_column(sa.ForeignKey("obligations.id"), index=True)
    lineage: Mapped[str] = mapped_column(sa.String(32), index=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreements.id"), index=True)
    authority_id: Mapped[int] = mapped_column(sa.ForeignKey("authorities.id"), index=True)
    # The due date this attestation answers; None for an obligation triggered by an event.
    due_on: Mapped[date | None]
    # Which attestation of its due date this is: 1, then 2 after one that was not met, …
    sequence: Mapped[int] = mapped_column(default=1, server_default="1")
    status: Mapped[str] = mapped_column(sa.String(20))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    evidence_reference: Mapped[str] = mapped_column(sa.String(200), default="")
    attested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    attested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    audit_index: Mapped[int | None] = mapped_column(sa.BigInteger)

    obligation: Mapped[Obligation] = relationship()
    authority: Mapped[Authority] = relationship()
    attested_by: Mapped[User] = relationship()
