"""Legal bases as reference data with citations, so agreements refer to them rather than to free text."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from registry.core.db import UTCDateTime, utcnow
from registry.extensions import db

KINDS = {
    "article6": "UK GDPR Article 6 lawful basis",
    "article9": "UK GDPR Article 9 condition (special category data)",
    "article10": "UK GDPR Article 10 (criminal offence data)",
    "schedule1": "DPA 2018 Schedule 1 condition",
    "gateway": "Statutory power or gateway",
}


class LegalBasis(db.Model):
    """A lawful basis, condition or statutory gateway, with its citation and commencement date."""

    __tablename__ = "legal_bases"
    __table_args__ = (
        sa.CheckConstraint("kind IN (" + ", ".join(f"'{k}'" for k in KINDS) + ")", name="known_kind"),
        sa.CheckConstraint("kind <> 'schedule1' OR (part IS NOT NULL AND paragraph IS NOT NULL)", name="schedule1_cited"),
        sa.CheckConstraint("kind <> 'gateway' OR mandatory IS NOT NULL", name="gateway_says_if_mandatory"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(20), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text)
    citation: Mapped[str] = mapped_column(sa.String(200))
    url: Mapped[str] = mapped_column(sa.String(300))
    commenced: Mapped[date | None]
    part: Mapped[int | None]
    paragraph: Mapped[int | None]
    needs_schedule1: Mapped[bool] = mapped_column(default=False)
    special_category: Mapped[bool] = mapped_column(default=False)
    criminal_offence: Mapped[bool] = mapped_column(default=False)
    mandatory: Mapped[bool | None]
    public_authority_may_rely: Mapped[bool] = mapped_column(default=True)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def kind_name(self) -> str:
        return KINDS[self.kind]

    @property
    def label(self) -> str:
        """Return the basis as people cite it: "UK GDPR Article 6(1)(e): Public task"."""
        return f"{self.citation}: {self.title}" if self.kind != "gateway" else self.citation

    def __repr__(self) -> str:
        return f"<LegalBasis {self.code}>"
