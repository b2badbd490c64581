"""Attestations: the owing party's approver saying whether an obligation was met.

The obligations themselves are terms of an agreement version (registry/agreements/models.py);
an obligation's `lineage` stays the same when a version is copied for an amendment, so
attestations and due dates carry on across versions of the same agreement.
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.agreements.models import Obligation
from registry.authorities.models import Authority
from registry.core.db import UTCDateTime, partial_index, utcnow
from registry.extensions import db
from registry.users.models import User

ATTESTATION_STATUSES = {"met": "Met", "partly_met": "Partly met", "not_met": "Not met"}
MET = "met"
# Only "met" answers a due date; these leave it open, and need a note saying what was missed.
NOT_MET = ("partly_met", "not_met")


def _one_of(column: str, values) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class Attestation(db.Model):
    """The owing party's approver saying whether an obligation was met, for the date it fell due."""

    __tablename__ = "attestations"
    __table_args__ = (
        sa.CheckConstraint(_one_of("status", ATTESTATION_STATUSES), name="known_status"),
        # A due date's attestations are numbered 1, 2, … (a date stays open until one says met):
        # a form sent twice, or two approvers at once, cannot write the same one twice (nor, by
        # moving on, answer the next period unasked).
        partial_index("uq_attestations_lineage_due_on_sequence", "lineage", "due_on", "sequence", unique=True, where="due_on IS NOT NULL"),
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
