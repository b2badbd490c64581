"""Finding agreements: by reference, the searchable and filterable list, and what waits for approval."""

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from registry.auditlog.models import AuditEntry
from registry.authorities.models import Authority
from registry.core.clock import today
from registry.core.errors import NotFound
from registry.core.lookup import one_or_not_found
from registry.core.text_search import contains
from registry.datasets.models import DataItem
from registry.extensions import db
from registry.legal.models import LegalBasis
from registry.users.models import User
from registry.users.roles import Role

from . import content
from .models import (
    Agreement, AgreementVersion, Approval, Flow, Obligation, Party, VersionState, flow_data_items, party_legal_bases,
)
from .workflow import FINAL as FINAL_STATUSES
from .workflow import Status

REFERENCE = re.compile(r"DSA-[0-9-]*", re.IGNORECASE)

# Lists count matching agreements up to this many (see core/pagination.py).
COUNT_LIMIT = 1000

SORTS = {
    "reference": Agreement.reference,
    "updated": Agreement.updated_at,
    "review": Agreement.review_due,
    "status": Agreement.status,
}


def agreement_by_reference(reference: str) -> Agreement:
    """Return the agreement with this reference, or raise NotFound."""
    return one_or_not_found(
        sa.select(Agreement).where(Agreement.reference == reference.upper()), f"There is no agreement {reference}."
    )


def agreement_by_reference_or_none(reference: str) -> Agreement | None:
    """Return the agreement with this reference, or None."""
    return db.session.scalar(sa.select(Agreement).where(Agreement.reference == reference.upper()))


def version_by_number(agreement: Agreement, number: int) -> AgreementVersion:
    """Return the agreement's submitted version with this number, or raise NotFound."""
    version = next((v for v in agreement.versions if v.number == number), None)
    if version is None:
        raise NotFound(f"{agreement.reference} has no version {number}.")
    return version


@dataclass(frozen=True)
class AgreementFilters:
    """What the agreements list can be narrowed and ordered by."""

    q: str = ""
    status: str | None = None
    party: str | None = None
    role: str | None = None  # "lead" or "partner": the role of one of my authorities
    dataset: int | None = None
    legal_basis: str | None = None
    review_due_before: date | None = None
    sort: str = "-updated"


def _my_authority_ids(actor) -> list[int]:
    return [m.authority_id for m in getattr(actor, "memberships", ())]


def _involves(authority_ids) -> sa.ColumnElement[bool]:
    """Agreements led by, or with a party in any version among, these authorities (as policies.can_view)."""
    involved = (
        sa.select(AgreementVersion.agreement_id)
        .join(Party, Party.version_id == AgreementVersion.id)
        .where(Party.authority_id.in_(authority_ids))
    )
    return sa.or_(Agreement.lead_authority_id.in_(authority_ids), Agreement.id.in_(involved))


def visible_to(actor) -> sa.ColumnElement[bool]:
    """Return the condition for agreements the actor may see: all for auditors, else their authorities'."""
    if actor.is_auditor:
        return sa.true()
    return _involves(_my_authority_ids(actor))


def parties_visible_to(actor) -> list[Authority]:
    """Return the authorities that are parties to agreements the actor may see, by name: the list's party filter."""
    shown = sa.select(Agreement.shown_version_id).where(visible_to(actor))
    return list(
        db.session.scalars(
            sa.select(Authority)
            .where(sa.exists().where(Party.authority_id == Authority.id, Party.version_id.in_(shown)))
            .order_by(Authority.name, Authority.code)
        )
    )


def list_options():
    """Return the loader options that fetch what each row of the list shows, in a fixed number of queries."""
    return (
        joinedload(Agreement.lead_authority),
        joinedload(Agreement.current_version).selectinload(AgreementVersion.parties).joinedload(Party.authority),
        joinedload(Agreement.latest_version).selectinload(AgreementVersion.parties).joinedload(Party.authority),
    )


def says_every_word(text: str) -> sa.ColumnElement[bool]:
    """Versions whose title or purpose has a word starting with each word of the text.

    PostgreSQL answers from its full-text index (words are stemmed, so "family" finds
    "families"); SQLite, with no such index, looks for each word anywhere in the text.
    """
    words = re.findall(r"\w+", text.lower())[:10]
    if not words:
        return sa.false()  # only punctuation: no word can match it
    if db.session.get_bind().dialect.name == "postgresql":
        document = sa.literal_column(
            "to_tsvector('english', agreement_versions.title || ' ' || agreement_versions.purpose)"
        )
        query = sa.func.to_tsquery(sa.literal_column("'english'"), " & ".join(f"{word}:*" for word in words))
        return document.op("@@")(query)
    return sa.and_(*(contains(word, AgreementVersion.title, AgreementVersion.purpose) for word in words))


def _shown_versions_where(*conditions) -> sa.Select:
    return sa.select(AgreementVersion.id).where(*conditions)


def agreement_search(actor, filters: AgreementFilters) -> sa.Select:
    """Return a query for the agreements the actor may see that match the filters, sorted.

    Filters on what an agreement says apply to its shown version (in force, else newest),
    through Agreement.shown_version_id, which the database keeps and indexes: a correlated
    EXISTS for parties, datasets and legal bases (cheap per row, and stops early when only
    a page and a capped count are needed), the full-text index for the search.
    """
    statement = sa.select(Agreement).where(visible_to(actor))
    shown = Agreement.shown_version_id
    text = filters.q.strip()
    if REFERENCE.fullmatch(text):
        # A reference, or the start of one: look only at references.
        statement = statement.where(Agreement.reference.startswith(text.upper(), autoescape=True))
    elif text:
        statement = statement.where(shown.in_(_shown_versions_where(says_every_word(text))))
    if filters.status:
        statement = statement.where(Agreement.status == filters.status)
    if filters.party:
        authority_id = sa.select(Authority.id).where(Authority.code == filters.party.upper()).scalar_subquery()
        statement = statement.where(sa.exists().where(Party.version_id == shown, Party.authority_id == authority_id))
    if filters.role == "lead":
        statement = statement.where(Agreement.lead_authority_id.in_(_my_authority_ids(actor)))
    elif filters.role == "partner":
        statement = statement.where(
            Agreement.lead_authority_id.not_in(_my_authority_ids(actor)), _involves(_my_authority_ids(actor))
        )
    if filters.dataset is not None:
        statement = statement.where(sa.exists().where(Flow.version_id == shown, Flow.dataset_id == filters.dataset))
    if filters.legal_basis:
        basis_id = sa.select(LegalBasis.id).where(LegalBasis.code == filters.legal_basis.upper()).scalar_subquery()
        statement = statement.where(
            sa.exists()
            .where(Party.version_id == shown)
            .where(party_legal_bases.c.party_id == Party.id, party_legal_bases.c.legal_basis_id == basis_id)
        )
    if filters.review_due_before:
        statement = statement.where(Agreement.review_due <= filters.review_due_before)
    return statement.order_by(*_order(filters.sort))


def _order(sort: str) -> list:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key == "title":
        # A subquery, not a join, so that counting the matches never touches the versions.
        title = sa.select(AgreementVersion.title).where(AgreementVersion.id == Agreement.shown_version_id).scalar_subquery()
        columns = [title, Agreement.id]
    elif key == "reference":
        columns = [Agreement.reference]  # unique: no tie-break needed
    else:
        # Tie-broken by id, in the same direction, so the (column, id) indexes give the order.
        columns = [SORTS.get(key, Agreement.updated_at), Agreement.id]
    return [column.desc() if descending else column.asc() for column in columns]


def waiting_for_approval(actor) -> list[tuple[Agreement, Authority]]:
    """Return (agreement, authority) for each proposal the actor may approve now for one of their authorities."""
    approver_of = [m.authority_id for m in getattr(actor, "memberships", ()) if Role(m.role) == Role.APPROVER]
    if not approver_of:
        return []
    version = aliased(AgreementVersion)
    rows = db.session.execute(
        sa.select(Agreement, Party.authority_id)
        .join(version, version.id == Agreement.latest_version_id)
        .join(Party, Party.version_id == version.id)
        .where(
            version.state == "proposed",
            Party.authority_id.in_(approver_of),
            sa.or_(version.submitted_by_id.is_(None), version.submitted_by_id != actor.id),
            ~sa.exists().where(Approval.version_id == version.id, Approval.authority_id == Party.authority_id),
        )
        .order_by(version.submitted_at)
        .options(joinedload(Agreement.latest_version))
    ).all()
    authorities = {a.id: a for a in db.session.scalars(sa.select(Authority).where(Authority.id.in_({r[1] for r in rows})))}
    return [(agreement, authorities[authority_id]) for agreement, authority_id in rows]


def unfinished_drafts(actor) -> list[Agreement]:
    """Return the drafts that are the actor's to finish (new agreements or amendments), newest change first."""
    if getattr(actor, "id", None) is None:
        return []
    version, sent_back = aliased(AgreementVersion), aliased(AgreementVersion)
    return list(
        db.session.scalars(
            sa.select(Agreement)
            .join(version, version.id == Agreement.latest_version_id)
            .outerjoin(sent_back, sa.and_(sent_back.id == version.based_on_id,
                                          sent_back.state == VersionState.CHANGES_REQUESTED.value))
            .where(
                version.state == "draft",
                Agreement.status.not_in([s.value for s in FINAL_STATUSES]),
                # A new agreement is its starter's and an amendment its starter's; a draft sent
                # back is theirs who submitted the version sent back (the one who asked for the
                # changes only opened the draft, so they are not its author).
                sa.or_(sa.and_(sent_back.id.is_(None), version.created_by_id == actor.id),
                       sent_back.submitted_by_id == actor.id,
                       sa.and_(Agreement.current_version_id.is_(None), Agreement.created_by_id == actor.id)),
            )
            .order_by(Agreement.updated_at.desc(), Agreement.id.desc())
            .options(joinedload(Agreement.latest_version))
        )
    )


def sent_back(agreements: list[Agreement]) -> set[int]:
    """Return the ids of those of the agreements whose draft answers a request for changes."""
    if not agreements:
        return set()
    version, based_on = aliased(AgreementVersion), aliased(AgreementVersion)
    return set(
        db.session.scalars(
            sa.select(Agreement.id)
            .join(version, version.id == Agreement.latest_version_id)
            .join(based_on, based_on.id == version.based_on_id)
            .where(
                Agreement.id.in_([agreement.id for agreement in agreements]),
                version.state == VersionState.DRAFT.value,
                based_on.state == VersionState.CHANGES_REQUESTED.value,
            )
        )
    )


def detail_options():
    """Return the loader options that fetch everything an agreement's page shows in a fixed number of queries."""
    return (
        joinedload(Agreement.lead_authority),
        selectinload(Agreement.versions).selectinload(AgreementVersion.parties).options(
            joinedload(Party.authority), selectinload(Party.legal_bases)
        ),
        selectinload(Agreement.versions).selectinload(AgreementVersion.flows).options(
            joinedload(Flow.dataset), selectinload(Flow.data_items)
        ),
        selectinload(Agreement.versions).selectinload(AgreementVersion.approvals).options(
            joinedload(Approval.authority), joinedload(Approval.approver)
        ),
        selectinload(Agreement.versions).selectinload(AgreementVersion.obligations),
        selectinload(Agreement.events),
    )


def agreement_for_page(reference: str, *, refresh: bool = False) -> Agreement:
    """Return the agreement with everything its page shows loaded, or raise NotFound.

    refresh reads it all again even where this session holds it (under a lock just taken).
    """
    statement = sa.select(Agreement).where(Agreement.reference == reference.upper()).options(*detail_options())
    if refresh:
        statement = statement.execution_options(populate_existing=True)
    agreement = db.session.scalar(statement)
    if agreement is None:
        raise NotFound(f"There is no agreement {reference}.")
    return agreement


@functools.cache
def _under_lock_options() -> dict:
    # Built once, on first use (when the mappers are configured): building loader options
    # costs more than the small queries they shape.
    return {
        "parties": joinedload(AgreementVersion.parties).options(joinedload(Party.authority), joinedload(Party.legal_bases)),
        # A dataset's authority is the sending party's (a rule says so), loaded with the parties.
        "flows": (joinedload(Flow.dataset), joinedload(Flow.data_items)),
    }


def draft_loading() -> tuple:
    """Return the loader options that read an agreement's latest version with its parties, their authorities and legal bases."""
    return (joinedload(Agreement.latest_version).options(_under_lock_options()["parties"]),)


def _load_once(instance, attribute: str, statement: sa.Select) -> None:
    """Load a collection with a query of our own, unless it is loaded already (a loader, as SQLAlchemy's own do)."""
    if attribute in sa.inspect(instance).unloaded:
        set_committed_value(instance, attribute, db.session.scalars(statement).unique().all())


def pending_under_lock(agreement: Agreement, *, with_contents: bool = False) -> AgreementVersion | None:
    """Return the version being drafted or proposed, with its parties, their authorities and legal bases.

    For a use case that holds the agreement's lock: the parties are what the policies and
    the audit entry need; with_contents, the flows (their datasets and items) and
    obligations too, for an answer showing all the draft says. A query each, and none for
    what this transaction has loaded already (under the lock, it cannot be stale).
    """
    if agreement.latest_version_id is None:
        return None
    options = _under_lock_options()
    if "latest_version" in sa.inspect(agreement).unloaded:
        latest = db.session.scalars(
            sa.select(AgreementVersion).where(AgreementVersion.id == agreement.latest_version_id).options(options["parties"])
        ).unique().one()
        set_committed_value(agreement, "latest_version", latest)
    latest = agreement.latest_version
    if with_contents:
        # Plain queries by version: cheaper here than SQLAlchemy's selectin loading for one parent.
        _load_once(latest, "flows", sa.select(Flow).where(Flow.version_id == latest.id).order_by(Flow.id).options(*options["flows"]))
        _load_once(latest, "obligations", sa.select(Obligation).where(Obligation.version_id == latest.id).order_by(Obligation.id))
    return agreement.pending_version


def draft_party(draft: AgreementVersion, party_id: int) -> Party:
    """Return the draft's party with this id, or refuse as not found."""
    return _one_of(draft.parties, party_id, "That authority is not a party to this draft.")


def draft_flow(draft: AgreementVersion, flow_id: int) -> Flow:
    """Return the draft's flow with this id, or refuse as not found."""
    return _one_of(draft.flows, flow_id, "There is no such flow in this draft.")


def draft_obligation(draft: AgreementVersion, obligation_id: int) -> Obligation:
    """Return the draft's obligation with this id, or refuse as not found."""
    return _one_of(draft.obligations, obligation_id, "There is no such obligation in this draft.")


def _one_of(items, item_id: int, missing: str):
    # The draft holds its parties, flows and obligations already: no query, only a search of them.
    item = next((item for item in items if item.id == item_id), None)
    if item is None:
        raise NotFound(missing)
    return item


def counts_by_status(actor) -> dict[str, int]:
    """Return how many agreements the actor may see are in each status."""
    rows = db.session.execute(
        sa.select(Agreement.status, sa.func.count()).where(visible_to(actor)).group_by(Agreement.status)
    ).all()
    return {status.value: dict(rows).get(status.value, 0) for status in Status}


def due_to_start() -> list[int]:
    """Return the ids of approved agreements whose start date has come."""
    return _ids_in_status(Status.APPROVED, AgreementVersion.start_date <= today(), version=Agreement.latest_version_id)


def past_their_end() -> list[int]:
    """Return the ids of active agreements whose end date has passed."""
    return _ids_in_status(Status.ACTIVE, AgreementVersion.end_date < today(), version=Agreement.current_version_id)


def due_for_review() -> list[int]:
    """Return the ids of active agreements whose review date has come."""
    return _ids_in_status(Status.ACTIVE, Agreement.review_due <= today())


def _ids_in_status(status: Status, condition, *, version=None) -> list[int]:
    """Return the ids of the agreements in the status that meet the condition, which may be on the version that `version` points to."""
    query = sa.select(Agreement.id).where(Agreement.status == status.value, condition)
    if version is not None:
        query = query.join(AgreementVersion, AgreementVersion.id == version)
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class LastChange:
    """Who last changed an agreement (None for the scheduled job or the command line), and when."""

    name: str | None
    time: datetime | None


def last_change(agreement: Agreement) -> LastChange:
    """Return who made the agreement's latest change, from the audit log's index of it."""
    row = db.session.execute(
        sa.select(AuditEntry.time, User.name)
        .outerjoin(User, User.id == AuditEntry.actor_user_id)
        .where(AuditEntry.object_type == "agreement", AuditEntry.object_ref == agreement.reference)
        .order_by(AuditEntry.index.desc())
        .limit(1)
    ).first()
    return LastChange(row.name, row.time) if row else LastChange(None, None)


def agreements_using(item: DataItem) -> list[str]:
    """Return the references of the agreements with a flow (in any version) that names the item."""
    statement = (
        sa.select(Agreement.reference)
        .join(AgreementVersion, AgreementVersion.agreement_id == Agreement.id)
        .join(Flow, Flow.version_id == AgreementVersion.id)
        .join(flow_data_items, flow_data_items.c.flow_id == Flow.id)
        .where(flow_data_items.c.data_item_id == item.id)
        .distinct()
        .order_by(Agreement.reference)
    )
    return list(db.session.scalars(statement))


def words_for_codes(*documents: dict) -> dict[str, str]:
    """Return what the codes these version documents name stand for: authorities' names, legal bases' citations and titles."""
    codes = set().union(*(content.codes_named(document) for document in documents))
    authorities = db.session.execute(sa.select(Authority.code, Authority.name).where(Authority.code.in_(codes)))
    legal_bases = db.session.scalars(sa.select(LegalBasis).where(LegalBasis.code.in_(codes)))
    return {**{code: name for code, name in authorities}, **{basis.code: basis.label for basis in legal_bases}}
