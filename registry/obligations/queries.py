"""Reading obligations: those in force with their next due dates, overdue ones, and attestations."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from registry.agreements.models import Agreement, AgreementVersion, Obligation, Party
from registry.agreements.statuses import Status
from registry.authorities.models import Authority
from registry.core.errors import NotFound
from registry.core.lookup import get_or_not_found
from registry.extensions import db

from .models import MET, Attestation
from .schedule import DueRule, is_overdue, next_due

# Agreements whose obligations bind the parties now.
IN_FORCE = (Status.ACTIVE.value, Status.UNDER_REVIEW.value, Status.SUSPENDED.value)


@dataclass(frozen=True)
class ObligationDue:
    """An obligation in force, who owes it to whom, when it is next due, and its last attestation.

    A due date is answered only by an attestation that it was met. One saying it was partly
    met or not met leaves that date open: `not_met` holds it, and the obligation stands as
    not met (and, once the date has passed, overdue) until a later attestation says met.
    """

    obligation: Obligation
    agreement: Agreement
    owed_by: Authority
    owed_to: tuple[Authority, ...]
    next_due: date | None
    overdue: bool
    last_attestation: Attestation | None
    not_met: Attestation | None = None
    # How many attestations the open due date already has: the next one is this plus one.
    attestations_for_due: int = 0

    @property
    def standing(self) -> str:
        """Return where the obligation stands, as a key of STANDINGS."""
        if self.not_met is not None:
            return self.not_met.status
        if self.overdue:
            return "overdue"
        if self.next_due is not None:
            return "due"
        return "event" if self.obligation.due_kind == "event" else "met"


# Where an obligation stands, in words; one table for every page, download and email.
STANDINGS = {
    "due": "Due",
    "overdue": "Overdue",
    "partly_met": "Partly met",
    "not_met": "Not met",
    "met": "Met",
    "event": "When the event happens",
}


def _due(obligation: Obligation, history: list[Attestation], today: date) -> ObligationDue:
    """Return where one obligation stands, from its attestations (oldest first)."""
    met_dates = [a.due_on for a in history if a.due_on is not None and a.status == MET]
    due = next_due(rule_of(obligation), met_dates)
    if obligation.due_kind == "event":
        open_period = history
    else:
        open_period = [a for a in history if due is not None and a.due_on == due]
    latest = open_period[-1] if open_period else None
    return ObligationDue(
        obligation=obligation,
        agreement=obligation.version.agreement,
        owed_by=obligation.owed_by.authority,
        owed_to=owed_to(obligation),
        next_due=due,
        overdue=is_overdue(due, today),
        last_attestation=history[-1] if history else None,
        not_met=latest if latest is not None and latest.status != MET else None,
        attestations_for_due=len(open_period) if obligation.due_kind != "event" else 0,
    )


def rule_of(obligation: Obligation) -> DueRule:
    """Return what an obligation says about when it falls due."""
    return DueRule(obligation.due_kind, obligation.due_date, obligation.every_months)


def owed_to(obligation: Obligation) -> tuple[Authority, ...]:
    """Return the authorities an obligation is owed to: the one named, or every other party."""
    if obligation.owed_to is not None:
        return (obligation.owed_to.authority,)
    return tuple(p.authority for p in obligation.version.parties if p.id != obligation.owed_by_party_id)


def attestations_by_lineage(lineages) -> dict[str, list[Attestation]]:
    """Return the attestations of each obligation lineage, oldest first, with one query."""
    grouped: dict[str, list[Attestation]] = defaultdict(list)
    if lineages:
        rows = db.session.scalars(
            sa.select(Attestation)
            .where(Attestation.lineage.in_(set(lineages)))
            .order_by(Attestation.attested_at, Attestation.id)
            .options(joinedload(Attestation.attested_by), joinedload(Attestation.authority))
        )
        for attestation in rows:
            grouped[attestation.lineage].append(attestation)
    return grouped


def obligations_in_force(
    today: date, involving: list[int] | None = None, agreement_id: int | None = None
) -> list[ObligationDue]:
    """Return every obligation of the versions in force, optionally of agreements involving these authorities or of one agreement."""
    statement = (
        sa.select(Obligation)
        .join(AgreementVersion, AgreementVersion.id == Obligation.version_id)
        .join(Agreement, Agreement.current_version_id == AgreementVersion.id)
        .where(Agreement.status.in_(IN_FORCE))
        .options(
            joinedload(Obligation.owed_by).joinedload(Party.authority),
            joinedload(Obligation.owed_to).joinedload(Party.authority),
            joinedload(Obligation.version).joinedload(AgreementVersion.agreement),
            joinedload(Obligation.version).selectinload(AgreementVersion.parties).joinedload(Party.authority),
        )
        .order_by(Agreement.reference, Obligation.id)
    )
    if involving is not None:
        statement = statement.where(
            sa.exists().where(Party.version_id == AgreementVersion.id, Party.authority_id.in_(involving))
        )
    if agreement_id is not None:
        statement = statement.where(Agreement.id == agreement_id)
    obligations = list(db.session.scalars(statement).unique())
    attestations = attestations_by_lineage([o.lineage for o in obligations])
    return [_due(obligation, attestations[obligation.lineage], today) for obligation in obligations]


def obligation_in_force(obligation_id: int, today: date) -> ObligationDue:
    """Return one obligation of a version in force with its due date, or raise NotFound."""
    obligation = get_or_not_found(Obligation, obligation_id, "There is no such obligation.")
    agreement = obligation.version.agreement
    if agreement.current_version_id != obligation.version_id or agreement.status not in IN_FORCE:
        raise NotFound("That obligation is not part of an agreement in force.")
    return _due(obligation, attestations_by_lineage([obligation.lineage])[obligation.lineage], today)


def attestations_of_agreement(agreement_id: int) -> list[Attestation]:
    """Return every attestation under an agreement, newest first."""
    return list(
        db.session.scalars(
            sa.select(Attestation)
            .where(Attestation.agreement_id == agreement_id)
            .order_by(Attestation.attested_at.desc(), Attestation.id.desc())
            .options(
                joinedload(Attestation.attested_by), joinedload(Attestation.authority),
                joinedload(Attestation.obligation),
            )
        )
    )


def reviews_due(today: date, involving: list[int] | None = None) -> list[Agreement]:
    """Return agreements in force with a review date, soonest first, optionally involving these authorities."""
    statement = (
        sa.select(Agreement)
        .where(Agreement.status.in_(IN_FORCE), Agreement.review_due.is_not(None))
        .options(joinedload(Agreement.current_version).selectinload(AgreementVersion.parties).joinedload(Party.authority))
        .order_by(Agreement.review_due, Agreement.id)
    )
    if involving is not None:
        statement = statement.where(
            sa.exists().where(Party.version_id == Agreement.current_version_id, Party.authority_id.in_(involving))
        )
    return list(db.session.scalars(statement).unique())


@dataclass(frozen=True)
class Counterpart:
    """What one authority and another owe each other, across every agreement in force between them."""

    mine: Authority
    other: Authority
    agreements: list[Agreement]
    they_owe_us: list[ObligationDue]
    we_owe_them: list[ObligationDue]

    @property
    def overdue_to_us(self) -> list[ObligationDue]:
        return [due for due in self.they_owe_us if due.overdue]

    @property
    def overdue_by_us(self) -> list[ObligationDue]:
        return [due for due in self.we_owe_them if due.overdue]

    @property
    def not_met_to_us(self) -> list[ObligationDue]:
        return [due for due in self.they_owe_us if due.not_met is not None]

    @property
    def not_met_by_us(self) -> list[ObligationDue]:
        return [due for due in self.we_owe_them if due.not_met is not None]


def counterpart(mine: Authority, other: Authority, today: date) -> Counterpart:
    """Return what `other` owes `mine` and what `mine` owes `other`, under every agreement in force between them."""
    if mine.id == other.id:
        raise NotFound("Choose another authority: an authority owes itself nothing.")
    dues = obligations_in_force(today, involving=[mine.id])
    shared = [d for d in dues if {mine.id, other.id} <= {p.authority_id for p in d.obligation.version.parties}]
    they_owe_us = [d for d in shared if d.owed_by.id == other.id and mine in d.owed_to]
    we_owe_them = [d for d in shared if d.owed_by.id == mine.id and other in d.owed_to]
    agreements = list(
        db.session.scalars(
            sa.select(Agreement)
            .where(
                Agreement.status.in_(IN_FORCE),
                sa.exists().where(Party.version_id == Agreement.current_version_id, Party.authority_id == mine.id),
                sa.exists().where(Party.version_id == Agreement.current_version_id, Party.authority_id == other.id),
            )
            .options(joinedload(Agreement.current_version))
            .order_by(Agreement.reference)
        )
    )
    return Counterpart(mine, other, agreements, they_owe_us, we_owe_them)


def partners_of(authority: Authority, published_only: bool = False) -> list[tuple[Authority, int]]:
    """Return every authority that shares with this one under an agreement in force, with how many agreements.

    With `published_only`, count only agreements the public register shows, for people
    outside the authority who may not see the withheld ones.
    """
    mine = sa.orm.aliased(Party)
    theirs = sa.orm.aliased(Party)
    rows = db.session.execute(
        sa.select(Authority, sa.func.count(sa.distinct(Agreement.id)))
        .join(theirs, theirs.authority_id == Authority.id)
        .join(Agreement, Agreement.current_version_id == theirs.version_id)
        .join(mine, sa.and_(mine.version_id == theirs.version_id, mine.authority_id == authority.id))
        .join(AgreementVersion, AgreementVersion.id == theirs.version_id)
        .where(Agreement.status.in_(IN_FORCE), Authority.id != authority.id)
        .where(sa.not_(AgreementVersion.withhold_from_register) if published_only else sa.true())
        .group_by(Authority.id)
        .order_by(Authority.name)
    ).all()
    return [(row[0], row[1]) for row in rows]
