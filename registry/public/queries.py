"""Reading the public register: what is in it, searching it, its published summaries, and its change log.

An agreement is in the register while it is in force (active, under review or suspended)
and its version in force is not withheld. Only that version is read: never a draft, a
proposal or an amendment in progress. Everything here reads a fixed number of queries
per page, whatever the number of rows.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute, aliased, contains_eager, joinedload, selectinload

from registry.agreements.models import Agreement, AgreementEvent, AgreementVersion, Flow, Party, VersionState
from registry.agreements.models import flow_data_items, party_legal_bases
# The agreements list's search: a reference, or words of the title and purpose (PostgreSQL's
# full-text index, the same expression as its index).
from registry.agreements.queries import REFERENCE, says_every_word
from registry.agreements.statuses import Action, Status
from registry.authorities.models import Authority
from registry.core.clock import UK_TIME
from registry.core.errors import NotFound
from registry.datasets.models import DataItem
from registry.extensions import db
from registry.legal.models import LegalBasis

from . import published
from .published import ENDED, IN_FORCE

# Lists count matching agreements up to this many (see core/pagination.py).
COUNT_LIMIT = 1000
# The downloads read the register this many agreements at a time.
BATCH_SIZE = 500

# The version in force, joined under its own name so that the search's subquery on
# agreement_versions stays a subquery of its own.
_in_force = aliased(AgreementVersion, name="version_in_force")
_event_version = aliased(AgreementVersion, name="event_version")
_earlier = aliased(AgreementEvent, name="earlier_event")

CATEGORY_FLAGS = {
    "personal": DataItem.personal,
    "special_category": DataItem.special_category,
    "criminal_offence": DataItem.criminal_offence,
}


@dataclass(frozen=True)
class RegisterFilters:
    """What the public register can be narrowed by."""

    q: str = ""
    party: str | None = None
    legal_basis: str | None = None
    category: str | None = None
    status: str | None = None


def _publishable(version) -> sa.ColumnElement[bool]:
    return sa.not_(version.withhold_from_register)


def in_register() -> sa.Select:
    """Return a query for the agreements in the register, their version in force joined."""
    return (
        sa.select(Agreement)
        .join(_in_force, _in_force.id == Agreement.current_version_id)
        .where(
            Agreement.status.in_(IN_FORCE),
            _in_force.state == VersionState.CURRENT.value,
            _publishable(_in_force),
        )
    )


def summary_options() -> tuple:
    """Return the loader options that fetch what a summary shows, in a fixed number of queries."""
    return (
        joinedload(Agreement.lead_authority),
        contains_eager(Agreement.current_version.of_type(_in_force))
        .selectinload(_in_force.parties)
        .options(joinedload(Party.authority), selectinload(Party.legal_bases)),
    )


def register_search(filters: RegisterFilters) -> sa.Select:
    """Return a query for the agreements in the register that match the filters, by reference."""
    statement = in_register()
    text = filters.q.strip()
    if REFERENCE.fullmatch(text):
        statement = statement.where(Agreement.reference.startswith(text.upper(), autoescape=True))
    elif text:
        statement = statement.where(
            Agreement.current_version_id.in_(sa.select(AgreementVersion.id).where(says_every_word(text)))
        )
    if filters.status:
        statement = statement.where(Agreement.status == filters.status)
    if filters.party:
        authority_id = sa.select(Authority.id).where(Authority.code == filters.party.upper()).scalar_subquery()
        statement = statement.where(
            sa.exists().where(Party.version_id == Agreement.current_version_id, Party.authority_id == authority_id)
        )
    if filters.legal_basis:
        basis_id = sa.select(LegalBasis.id).where(LegalBasis.code == filters.legal_basis.upper()).scalar_subquery()
        statement = statement.where(
            sa.exists()
            .where(Party.version_id == Agreement.current_version_id)
            .where(party_legal_bases.c.party_id == Party.id, party_legal_bases.c.legal_basis_id == basis_id)
        )
    if filters.category:
        statement = statement.where(
            sa.exists()
            .where(Flow.version_id == Agreement.current_version_id)
            .where(flow_data_items.c.flow_id == Flow.id, DataItem.id == flow_data_items.c.data_item_id)
            .where(CATEGORY_FLAGS[filters.category])
        )
    return statement.order_by(Agreement.reference)


def count_in_register() -> int:
    """Return how many agreements are in the register."""
    return db.session.scalar(in_register().with_only_columns(sa.func.count(Agreement.id)))


def _register_version_ids() -> sa.Select:
    return in_register().with_only_columns(Agreement.current_version_id)


def parties_in_register() -> list[Authority]:
    """Return the authorities that are parties to an agreement in the register, by name."""
    return list(
        db.session.scalars(
            sa.select(Authority)
            .where(sa.exists().where(Party.authority_id == Authority.id, Party.version_id.in_(_register_version_ids())))
            .order_by(Authority.name, Authority.code)
        )
    )


def legal_bases_in_register() -> list[LegalBasis]:
    """Return the legal bases and gateways an agreement in the register relies on, by citation."""
    return list(
        db.session.scalars(
            sa.select(LegalBasis)
            .where(
                sa.exists()
                .where(party_legal_bases.c.legal_basis_id == LegalBasis.id, party_legal_bases.c.party_id == Party.id)
                .where(Party.version_id.in_(_register_version_ids()))
            )
            .order_by(LegalBasis.citation, LegalBasis.code)
        )
    )


def _categories_of(version_ids: list[int]) -> dict[int, frozenset[str]]:
    """Return, for each version, the categories of the data items its flows carry (not the items)."""
    if not version_ids:
        return {}
    flags = [sa.func.max(sa.case((column, 1), else_=0)) for column in CATEGORY_FLAGS.values()]
    rows = db.session.execute(
        sa.select(Flow.version_id, *flags)
        .join(flow_data_items, flow_data_items.c.flow_id == Flow.id)
        .join(DataItem, DataItem.id == flow_data_items.c.data_item_id)
        .where(Flow.version_id.in_(version_ids))
        .group_by(Flow.version_id)
    ).all()
    return {
        version_id: frozenset(name for name, flag in zip(CATEGORY_FLAGS, values) if flag)
        for version_id, *values in rows
    }


def _uk_date(moment) -> date | None:
    return moment.astimezone(UK_TIME).date() if moment is not None else None


def _last_changed(agreement_ids: list[int]) -> dict[int, date | None]:
    """Return, for each agreement, the date of its latest change in the public log."""
    if not agreement_ids:
        return {}
    rows = db.session.execute(
        _public_events(AgreementEvent.agreement_id, sa.func.max(AgreementEvent.created_at))
        .where(AgreementEvent.agreement_id.in_(agreement_ids))
        .group_by(AgreementEvent.agreement_id)
    ).all()
    return {agreement_id: _uk_date(moment) for agreement_id, moment in rows}


def summaries(agreements: list[Agreement]) -> list[dict]:
    """Return the published summary of each agreement (loaded with summary_options), in order."""
    categories = _categories_of([a.current_version_id for a in agreements])
    last_changed = _last_changed([a.id for a in agreements])
    return [
        published.summary(
            published.Facts(
                agreement=agreement,
                version=agreement.current_version,
                categories=categories.get(agreement.current_version_id, frozenset()),
                last_changed=last_changed.get(agreement.id),
            )
        )
        for agreement in agreements
    ]


def published_agreement(reference: str) -> dict:
    """Return the published summary of the agreement with this reference, or raise NotFound if it is not in the register."""
    agreement = db.session.scalar(
        in_register().where(Agreement.reference == reference.upper()).options(*summary_options())
    )
    if agreement is None:
        raise NotFound(f"There is no agreement {reference} in the public register.")
    return summaries([agreement])[0]


def whole_register(batch_size: int = BATCH_SIZE) -> Iterator[list[dict]]:
    """Yield the summaries of every agreement in the register, by reference, a batch at a time."""
    for agreements in _in_batches(in_register().options(*summary_options()), Agreement.reference, batch_size):
        yield summaries(agreements)


def _in_batches(statement: sa.Select, key: InstrumentedAttribute, batch_size: int, *,
                descending: bool = False) -> Iterator[list]:
    """Yield what the statement finds in the order of key, a batch at a time.

    Each batch starts after the last key of the one before (keyset paging), so that a
    download of the whole register neither holds it all in memory nor reads it with an
    OFFSET that grows with every batch.
    """
    statement = statement.order_by(key.desc() if descending else key).limit(batch_size)
    last = None
    while True:
        batch = statement if last is None else statement.where(key < last if descending else key > last)
        rows = list(db.session.scalars(batch).unique())
        if rows:
            yield rows
        if len(rows) < batch_size:
            return
        last = getattr(rows[-1], key.key)


# The change log: what the public may know happened to an agreement, and when.
CHANGES = {
    Action.START.value: "Started",
    Action.APPROVE.value: "Amendment came into force",
    Action.COMPLETE_REVIEW.value: "Review completed",
    Action.SUSPEND.value: "Suspended",
    Action.RESUME.value: "Resumed",
    Action.TERMINATE.value: "Terminated",
    Action.EXPIRE.value: "Expired",
}


def _public_change() -> sa.ColumnElement[bool]:
    """Events that changed an agreement in force: never drafting, proposals or approvals in progress."""
    event = AgreementEvent
    return sa.or_(
        event.action.in_([a.value for a in (Action.START, Action.COMPLETE_REVIEW, Action.SUSPEND, Action.TERMINATE, Action.EXPIRE)]),
        # Resuming takes effect once the last party agrees; earlier agreements to resume change nothing.
        sa.and_(event.action == Action.RESUME.value, event.to_status == Status.ACTIVE.value),
        # The last approval of an amendment puts it in force at once (a new agreement waits to start).
        sa.and_(
            event.action == Action.APPROVE.value,
            event.to_status == Status.APPROVED.value,
            sa.exists().where(
                _earlier.agreement_id == event.agreement_id, _earlier.action == Action.START.value, _earlier.id < event.id
            ),
        ),
    )


def _public_events(*columns) -> sa.Select:
    """Return a query for the public changes of agreements in the register or once in it, never withheld ones."""
    return (
        sa.select(*columns)
        .select_from(AgreementEvent)
        .join(Agreement, Agreement.id == AgreementEvent.agreement_id)
        .join(_in_force, _in_force.id == Agreement.current_version_id)
        .outerjoin(_event_version, _event_version.id == AgreementEvent.version_id)
        .where(
            Agreement.status.in_(IN_FORCE + ENDED),
            _publishable(_in_force),
            sa.or_(_event_version.id.is_(None), _publishable(_event_version)),
            _public_change(),
        )
    )


def change_log(reference: str | None = None) -> sa.Select:
    """Return a query for the public change log, newest first, for one agreement or all."""
    statement = _public_events(AgreementEvent)
    if reference:
        statement = statement.where(Agreement.reference == reference.upper())
    return statement.order_by(AgreementEvent.created_at.desc(), AgreementEvent.id.desc())


def whole_change_log(batch_size: int = BATCH_SIZE) -> Iterator[list[dict]]:
    """Yield every public change, newest recorded first, a batch at a time."""
    statement = _public_events(AgreementEvent).options(*change_log_options())
    for events in _in_batches(statement, AgreementEvent.id, batch_size, descending=True):
        yield changes(events)


def change_log_options() -> tuple:
    """Return the loader options that fetch what the change log shows, from the log's own joins."""
    return (
        contains_eager(AgreementEvent.agreement).contains_eager(Agreement.current_version.of_type(_in_force)),
        contains_eager(AgreementEvent.version.of_type(_event_version)),
    )


def changes(events: list[AgreementEvent]) -> list[dict]:
    """Return the change log's entries: the date, the agreement, and what changed; never who or why."""
    entries = []
    for event in events:
        agreement = event.agreement
        change = CHANGES[event.action]
        if event.action == Action.APPROVE and event.version is not None:
            change = f"Version {event.version.number} came into force"
        entries.append(
            {
                "date": _uk_date(event.created_at),
                "reference": agreement.reference,
                "title": agreement.current_version.title,
                "change": change,
                "in_register": agreement.status in IN_FORCE,
            }
        )
    return entries
