"""Agreements, their versions, and in each version the parties, legal bases, flows and approvals.

Everything an agreement says lives in a version. The version being drafted is edited in
place; submitting freezes it, numbered, with its canonical content and SHA-256. Approvals
are for one frozen version. An amendment is a new draft copied from the version in force.
"""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.authorities.models import Authority
from registry.core.db import UTCDateTime, partial_index, postgresql_only, utcnow
from registry.datasets.models import DataItem, Dataset, SensitivityOfItems
from registry.extensions import db
from registry.legal.models import LegalBasis
from registry.users.models import User

from . import statuses
from .statuses import Action, Status


def _one_of(column: str, values) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


# What the agreements search looks in, as PostgreSQL full text (the index and the query
# must use the same expression for the index to be used).
SEARCH_DOCUMENT = sa.text("to_tsvector('english', title || ' ' || purpose)")


class VersionState(StrEnum):
    """Where one version is: being drafted, proposed, approved, in force, or set aside."""

    DRAFT = "draft"
    PROPOSED = "proposed"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    CURRENT = "current"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return statuses.word(self.value)


AGREEMENT_TYPES = {
    "information_sharing": "Reciprocal information sharing agreement",
    "disclosure": "One-way data disclosure agreement",
    "joint_controller": "Joint controller arrangement",
}
SHARING_ROLES = {"provider": "Provides data", "recipient": "Receives data", "both": "Provides and receives data"}
CONTROLLER_ROLES = {"controller": "Controller", "joint_controller": "Joint controller", "processor": "Processor"}
FREQUENCIES = {"one_off": "One-off", "periodic": "Periodic", "on_request": "On request", "continuous": "Continuous"}
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
DPIA_STATUSES = {
    "completed": "Completed",
    "screened_out": "Screened out (not needed)",
    "not_started": "Not yet done",
}

party_legal_bases = sa.Table(
    "party_legal_bases",
    db.metadata,
    sa.Column("party_id", sa.ForeignKey("parties.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("legal_basis_id", sa.ForeignKey("legal_bases.id"), primary_key=True, index=True),
)

flow_data_items = sa.Table(
    "flow_data_items",
    db.metadata,
    sa.Column("flow_id", sa.ForeignKey("flows.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("data_item_id", sa.ForeignKey("data_items.id"), primary_key=True, index=True),
)


class Agreement(db.Model):
    """A data-sharing agreement between public authorities, led by one of them."""

    __tablename__ = "agreements"
    __table_args__ = (
        sa.CheckConstraint(_one_of("status", [s.value for s in Status]), name="known_status"),
        # The list's default and review orders, with a tie-break, read straight from an index.
        sa.Index("ix_agreements_updated_at_id", "updated_at", "id"),
        sa.Index("ix_agreements_review_due_id", "review_due", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(20), unique=True)
    lead_authority_id: Mapped[int] = mapped_column(sa.ForeignKey("authorities.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), index=True, default=Status.DRAFT.value)
    # The version in force (once started), and the newest version (maybe a draft amendment).
    current_version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agreement_versions.id", use_alter=True, name="fk_agreements_current_version_id_agreement_versions")
    )
    latest_version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agreement_versions.id", use_alter=True, name="fk_agreements_latest_version_id_agreement_versions")
    )
    # What the agreement says now, for lists and filters: the version in force, else the
    # newest. The database keeps it, so it can never disagree with the two columns above.
    shown_version_id: Mapped[int | None] = mapped_column(
        sa.Computed("coalesce(current_version_id, latest_version_id)", persisted=True), index=True
    )
    # The next review date: from the version in force, then as each review sets it.
    review_due: Mapped[date | None]
    # Bumped by every change, taking a lock on the row: concurrent changes queue, and a
    # form sent from a stale page is refused.
    lock_version: Mapped[int] = mapped_column(default=0)
    suspended_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    lead_authority: Mapped[Authority] = relationship()
    versions: Mapped[list["AgreementVersion"]] = relationship(
        back_populates="agreement",
        foreign_keys="AgreementVersion.agreement_id",
        order_by="AgreementVersion.id",
        cascade="all, delete-orphan",
    )
    current_version: Mapped["AgreementVersion | None"] = relationship(foreign_keys=[current_version_id], post_update=True)
    latest_version: Mapped["AgreementVersion | None"] = relationship(foreign_keys=[latest_version_id], post_update=True)
    events: Mapped[list["AgreementEvent"]] = relationship(
        back_populates="agreement", order_by="AgreementEvent.id", cascade="all, delete-orphan"
    )

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def shown_version(self) -> "AgreementVersion":
        """Return the version that describes the agreement now: the one in force, else the newest."""
        return self.current_version or self.latest_version

    @property
    def pending_version(self) -> "AgreementVersion | None":
        """Return the version being drafted or proposed, if there is one."""
        latest = self.latest_version
        if latest is not None and latest.state in (VersionState.DRAFT, VersionState.PROPOSED):
            return latest
        return None


class AgreementVersion(db.Model):
    """One version of an agreement: everything it says. Frozen, numbered and hashed once submitted."""

    __tablename__ = "agreement_versions"
    __table_args__ = (
        sa.UniqueConstraint("agreement_id", "number"),
        sa.CheckConstraint(_one_of("state", [s.value for s in VersionState]), name="known_state"),
        sa.CheckConstraint(_one_of("agreement_type", AGREEMENT_TYPES), name="known_type"),
        sa.CheckConstraint("state = 'draft' OR (number IS NOT NULL AND content_hash IS NOT NULL)", name="frozen_when_submitted"),
        sa.CheckConstraint("breach_notification_hours IS NULL OR breach_notification_hours > 0", name="breach_hours_positive"),
        # At most one version in force, and at most one being drafted or proposed, per agreement.
        partial_index("uq_agreement_versions_one_current", "agreement_id", unique=True, where="state = 'current'"),
        # Searching titles and purposes word by word: a full-text index on PostgreSQL.
        postgresql_only(sa.Index("ix_agreement_versions_search", SEARCH_DOCUMENT, postgresql_using="gin")),
        partial_index("uq_agreement_versions_one_pending", "agreement_id", unique=True, where="state IN ('draft', 'proposed')"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    number: Mapped[int | None]
    state: Mapped[str] = mapped_column(sa.String(20), default=VersionState.DRAFT.value)
    based_on_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agreement_versions.id"))

    # Identity and purpose
    title: Mapped[str] = mapped_column(sa.String(200))
    agreement_type: Mapped[str] = mapped_column(sa.String(30), default="information_sharing")
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    functions_served: Mapped[str] = mapped_column(sa.Text, default="")
    benefits: Mapped[str] = mapped_column(sa.Text, default="")
    necessity: Mapped[str] = mapped_column(sa.Text, default="")
    # Terms
    retention: Mapped[str] = mapped_column(sa.Text, default="")
    security_measures: Mapped[str] = mapped_column(sa.Text, default="")
    rights_handling: Mapped[str] = mapped_column(sa.Text, default="")
    breach_notification_hours: Mapped[int | None]
    onward_sharing_allowed: Mapped[bool | None]
    onward_sharing_conditions: Mapped[str] = mapped_column(sa.Text, default="")
    commercial_use_allowed: Mapped[bool | None]
    international_transfers: Mapped[bool | None]
    international_transfer_details: Mapped[str] = mapped_column(sa.Text, default="")
    termination_arrangements: Mapped[str] = mapped_column(sa.Text, default="")
    # Assurance
    dpia_status: Mapped[str | None] = mapped_column(sa.String(20))
    dpia_reference: Mapped[str] = mapped_column(sa.String(100), default="")
    dpia_date: Mapped[date | None]
    dpo_consulted: Mapped[bool | None]
    # The public register shows a summary of every active agreement, unless the parties
    # agree it must be withheld (say, police intelligence sharing), and say why.
    withhold_from_register: Mapped[bool] = mapped_column(default=False)
    withholding_reason: Mapped[str] = mapped_column(sa.Text, default="")
    # Dates
    start_date: Mapped[date | None]
    review_date: Mapped[date | None]
    review_interval_months: Mapped[int | None]
    end_date: Mapped[date | None]

    # Set when submitted: the canonical JSON of everything above, and its SHA-256.
    content: Mapped[str | None] = mapped_column(sa.Text)
    content_hash: Mapped[str | None] = mapped_column(sa.String(64))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    agreement: Mapped[Agreement] = relationship(back_populates="versions", foreign_keys=[agreement_id])
    parties: Mapped[list["Party"]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="Party.id"
    )
    flows: Mapped[list["Flow"]] = relationship(back_populates="version", cascade="all, delete-orphan", order_by="Flow.id")
    approvals: Mapped[list["Approval"]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="Approval.id"
    )
    obligations: Mapped[list["Obligation"]] = relationship(  # noqa: F821 (defined below)
        back_populates="version", cascade="all, delete-orphan", order_by="Obligation.id"
    )
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])

    @property
    def state_enum(self) -> VersionState:
        return VersionState(self.state)

    @property
    def is_frozen(self) -> bool:
        return self.state != VersionState.DRAFT

    @property
    def signed_outside(self) -> bool:
        """Return True for a version in force that was never submitted here: imported, its approvals given outside the registry."""
        return self.is_frozen and self.submitted_at is None

    def party_for(self, authority: Authority) -> "Party | None":
        """Return this version's party for the authority, if it is one."""
        return next((p for p in self.parties if p.authority_id == authority.id), None)


class Party(db.Model):
    """An authority's part in one version: its roles and its own legal bases."""

    __tablename__ = "parties"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "authority_id"),
        sa.CheckConstraint(_one_of("sharing_role", SHARING_ROLES), name="known_sharing_role"),
        sa.CheckConstraint(_one_of("controller_role", CONTROLLER_ROLES), name="known_controller_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement_versions.id", ondelete="CASCADE"), index=True)
    authority_id: Mapped[int] = mapped_column(sa.ForeignKey("authorities.id"), index=True)
    sharing_role: Mapped[str] = mapped_column(sa.String(20), default="both")
    controller_role: Mapped[str] = mapped_column(sa.String(20), default="controller")

    version: Mapped[AgreementVersion] = relationship(back_populates="parties")
    authority: Mapped[Authority] = relationship()
    legal_bases: Mapped[list[LegalBasis]] = relationship(secondary=party_legal_bases, order_by=LegalBasis.code)

    @property
    def provides(self) -> bool:
        return self.sharing_role in ("provider", "both")

    @property
    def receives(self) -> bool:
        return self.sharing_role in ("recipient", "both")


class Flow(SensitivityOfItems, db.Model):
    """Data going from one party to another: which dataset, which items, how often, how."""

    __tablename__ = "flows"
    __table_args__ = (
        sa.CheckConstraint("from_party_id <> to_party_id", name="between_two_parties"),
        sa.CheckConstraint(_one_of("frequency", FREQUENCIES), name="known_frequency"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement_versions.id", ondelete="CASCADE"), index=True)
    from_party_id: Mapped[int] = mapped_column(sa.ForeignKey("parties.id", ondelete="CASCADE"))
    to_party_id: Mapped[int] = mapped_column(sa.ForeignKey("parties.id", ondelete="CASCADE"))
    dataset_id: Mapped[int] = mapped_column(sa.ForeignKey("datasets.id"), index=True)
    frequency: Mapped[str] = mapped_column(sa.String(20), default="periodic")
    method: Mapped[str] = mapped_column(sa.String(200), default="")
    volume: Mapped[str] = mapped_column(sa.String(200), default="")

    version: Mapped[AgreementVersion] = relationship(back_populates="flows")
    from_party: Mapped[Party] = relationship(foreign_keys=[from_party_id])
    to_party: Mapped[Party] = relationship(foreign_keys=[to_party_id])
    dataset: Mapped[Dataset] = relationship()
    data_items: Mapped[list[DataItem]] = relationship(secondary=flow_data_items, order_by=DataItem.id)

    def _data_items(self) -> list[DataItem]:
        return self.data_items


class Approval(db.Model):
    """A party's approval of one frozen version, recording the hash it approved."""

    __tablename__ = "approvals"
    __table_args__ = (sa.UniqueConstraint("version_id", "authority_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement_versions.id", ondelete="CASCADE"), index=True)
    authority_id: Mapped[int] = mapped_column(sa.ForeignKey("authorities.id"))
    approver_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    version: Mapped[AgreementVersion] = relationship(back_populates="approvals")
    authority: Mapped[Authority] = relationship()
    approver: Mapped[User] = relationship()


class AgreementEvent(db.Model):
    """One step in an agreement's history: who did what, for which authority, why, and its audit entry."""

    __tablename__ = "agreement_events"
    __table_args__ = (sa.CheckConstraint(_one_of("action", [a.value for a in Action] + ["create", "edit"]), name="known_action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agreement_versions.id"))
    action: Mapped[str] = mapped_column(sa.String(20))
    from_status: Mapped[str | None] = mapped_column(sa.String(20))
    to_status: Mapped[str | None] = mapped_column(sa.String(20))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    authority_id: Mapped[int | None] = mapped_column(sa.ForeignKey("authorities.id"))
    # Free text stays here, where it can be corrected or erased; the log holds its hash.
    reason: Mapped[str | None] = mapped_column(sa.Text)
    audit_index: Mapped[int | None] = mapped_column(sa.BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agreement: Mapped[Agreement] = relationship(back_populates="events")
    version: Mapped[AgreementVersion | None] = relationship()
    actor: Mapped[User | None] = relationship()
    authority: Mapped[Authority | None] = relationship()


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
