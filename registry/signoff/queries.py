"""Reading sign-off: who is still to approve and for how long, which chasers are due, and how fast agreements are signed off.

Days waiting are counted in the registry's days (core.clock.today, UK time) from the day the
version was sent for approval, so that the scheduled job, the pages and tests that move time
all agree on them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from registry.agreements.models import Agreement, AgreementVersion, Approval, Party, VersionState
from registry.authorities.models import Authority
from registry.core.clock import UK_TIME
from registry.extensions import db
from registry.users import queries as user_queries
from registry.users.models import User
from registry.users.roles import SystemRole

from .models import ESCALATION, NUDGE, REMINDER, Chase, SignOffCycle

# A party is nudged at most once in this many days (per version).
NUDGE_EVERY_DAYS = 3


def start_of(day: date) -> datetime:
    """Return the moment a UK day begins, in UTC."""
    return datetime.combine(day, time(0), UK_TIME).astimezone(UTC)


def day_of(moment: datetime) -> date:
    """Return the UK day a moment falls on."""
    return moment.astimezone(UK_TIME).date()


def days_between(first: date, last: date) -> int:
    """Return the whole days from one day to a later one (0 if the later is not later)."""
    return max(0, (last - first).days)


def next_nudge_on(last_nudged_on: date | None) -> date | None:
    """Return the first day a party nudged on `last_nudged_on` may be nudged again (None: any day)."""
    return last_nudged_on + timedelta(days=NUDGE_EVERY_DAYS) if last_nudged_on is not None else None


@dataclass(frozen=True)
class Standing:
    """Where one party stands on a proposed version: approved (and when), or still to approve, and how it was chased."""

    authority: Authority
    approved_on: date | None
    waiting_days: int | None  # None once approved
    last_nudged_on: date | None
    reminded_on: date | None  # the scheduled reminder to its approvers
    escalated_on: date | None  # its administrators told

    @property
    def is_waiting(self) -> bool:
        return self.approved_on is None

    @property
    def next_nudge_on(self) -> date | None:
        return next_nudge_on(self.last_nudged_on)

    def may_be_nudged_on(self, day: date) -> bool:
        """Return True if the party is still to approve and was not nudged in the days before."""
        return self.is_waiting and (self.next_nudge_on is None or day >= self.next_nudge_on)


@dataclass(frozen=True)
class SignOff:
    """A proposed version and where each of its parties stands: those still to approve first."""

    agreement: Agreement
    version: AgreementVersion
    submitted_on: date
    parties: list[Standing]

    @property
    def waiting(self) -> list[Standing]:
        return [standing for standing in self.parties if standing.is_waiting]

    def standing_of(self, authority: Authority) -> Standing | None:
        """Return the party's standing, or None if the authority is no party to the version."""
        return next((standing for standing in self.parties if standing.authority.id == authority.id), None)


def chases_of(version_id: int) -> list[Chase]:
    """Return every nudge and chaser a version's parties have had, oldest first."""
    return list(db.session.scalars(sa.select(Chase).where(Chase.version_id == version_id).order_by(Chase.sent_on, Chase.id)))


def _last(chases: list[Chase], authority_id: int, kind: str) -> date | None:
    return max((chase.sent_on for chase in chases if chase.authority_id == authority_id and chase.kind == kind), default=None)


def sign_off_of(agreement: Agreement, today: date) -> SignOff | None:
    """Return where each party stands on the agreement's proposed version (a new agreement's or an amendment's), or None.

    Reads the parties and approvals the agreement has loaded, and its chases in one query.
    """
    version = agreement.pending_version
    if version is None or version.state != VersionState.PROPOSED or version.submitted_at is None:
        return None
    submitted_on = day_of(version.submitted_at)
    approved = {approval.authority_id: day_of(approval.approved_at) for approval in version.approvals}
    chases = chases_of(version.id)
    parties = [
        Standing(
            authority=party.authority,
            approved_on=approved.get(party.authority_id),
            waiting_days=None if party.authority_id in approved else days_between(submitted_on, today),
            last_nudged_on=_last(chases, party.authority_id, NUDGE),
            reminded_on=_last(chases, party.authority_id, REMINDER),
            escalated_on=_last(chases, party.authority_id, ESCALATION),
        )
        for party in version.parties
    ]
    # Those still to approve first; then by name, as people look for their own.
    parties.sort(key=lambda standing: (not standing.is_waiting, standing.authority.name))
    return SignOff(agreement, version, submitted_on, parties)


def last_nudged_on(version_id: int, authority_id: int) -> date | None:
    """Return the day the party was last nudged about this version, if ever."""
    return db.session.scalar(
        sa.select(sa.func.max(Chase.sent_on)).where(
            Chase.version_id == version_id, Chase.authority_id == authority_id, Chase.kind == NUDGE
        )
    )


# The chasers


@dataclass(frozen=True)
class DueChaser:
    """A scheduled chaser due now: to a party still to approve a version, at a stage it has not had."""

    version_id: int
    authority_id: int
    kind: str  # REMINDER or ESCALATION

    @property
    def key(self) -> str:
        return f"{self.version_id}:{self.authority_id}:{self.kind}"


def _still_to_approve():
    """Return a query for (version id, authority id) of each party still to approve a proposed version, and when it was sent."""
    return (
        sa.select(Party.version_id, Party.authority_id, AgreementVersion.submitted_at)
        .join(AgreementVersion, AgreementVersion.id == Party.version_id)
        .where(
            AgreementVersion.state == VersionState.PROPOSED.value,
            ~sa.exists().where(Approval.version_id == Party.version_id, Approval.authority_id == Party.authority_id),
        )
    )


def due_chasers(today: date, after_days: int) -> list[DueChaser]:
    """Return the chasers due today: a reminder once a party has waited `after_days`, the escalation at twice that.

    A party that has waited twice as long without its reminder (the job did not run, or
    the setting changed) gets only the escalation: one message, not two at once. With
    `after_days` 0 (chasers turned off), none is due.
    """
    if after_days <= 0:
        return []
    reminder_before = start_of(today - timedelta(days=after_days - 1))
    escalation_before = start_of(today - timedelta(days=2 * after_days - 1))
    due = []
    for kind, condition in (
        (REMINDER, sa.and_(AgreementVersion.submitted_at < reminder_before, AgreementVersion.submitted_at >= escalation_before)),
        (ESCALATION, AgreementVersion.submitted_at < escalation_before),
    ):
        rows = db.session.execute(
            _still_to_approve().where(
                condition,
                ~sa.exists().where(Chase.version_id == Party.version_id, Chase.authority_id == Party.authority_id, Chase.kind == kind),
            )
        )
        due += [DueChaser(row.version_id, row.authority_id, kind) for row in rows]
    return sorted(due, key=lambda chaser: chaser.key)


def describe(chaser: DueChaser) -> str:
    """Return a chaser in words, for the scheduled job's dry run: which agreement and version, waiting for whom."""
    version = db.session.get(AgreementVersion, chaser.version_id)
    authority = db.session.get(Authority, chaser.authority_id)
    return f"{version.agreement.reference} version {version.number}, waiting for {authority.name}"


def administrators_of(authority_ids: Iterable[int]) -> dict[int, list[User]]:
    """Return the people who administer each authority, by authority id: its own administrators, then the system's.

    An authority's own administrators know its people and who should be approving; the
    registry's system administrators administer every authority, so they are told too
    (and are all there is for an authority that has no administrator of its own yet).
    Two queries, whatever the number of authorities.
    """
    ids = sorted(set(authority_ids))
    if not ids:
        return {}
    own = user_queries.administrators_of(ids)
    admins = list(db.session.scalars(
        sa.select(User).where(User.system_role == SystemRole.ADMIN.value, User.active.is_(True)).order_by(User.id)
    ))
    # By id: Flask-Login's UserMixin compares users by session token, which these have none of.
    return {
        authority_id: own[authority_id] + [admin for admin in admins if admin.id not in {u.id for u in own[authority_id]}]
        for authority_id in ids
    }


# How fast agreements are signed off


@dataclass(frozen=True)
class Speed:
    """Days from first submission to in force, over the agreements (and amendments) put in force since a day."""

    since: date
    count: int
    median: float | None
    p90: float | None


def year_before(today: date) -> date:
    """Return the same day a year earlier (28 February for 29 February)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def percentile(values: list[float], fraction: float) -> float | None:
    """Return the percentile of sorted values, interpolating between neighbours as PostgreSQL's percentile_cont does."""
    if not values:
        return None
    position = fraction * (len(values) - 1)
    below = int(position)
    above = min(below + 1, len(values) - 1)
    return values[below] + (values[above] - values[below]) * (position - below)


def signoff_speed(today: date, authority_id: int | None = None) -> Speed:
    """Return the median and 90th percentile of days from first submission to in force, over the last 12 months.

    From the workflow's history, as sign-off summarises it when each approval cycle completes
    (one row per cycle, registry/signoff/cycles.py): one query over an index of the cycles by
    when they completed, joined, for one authority, to the parties of each cycle's version.
    PostgreSQL computes the percentiles itself (percentile_cont); SQLite has no such function,
    so there the query returns each cycle's days and Python interpolates them the same way.
    """
    since_day = year_before(today)
    statement = sa.select().select_from(SignOffCycle).where(
        SignOffCycle.in_force_at >= start_of(since_day), SignOffCycle.in_force_at < start_of(today + timedelta(days=1))
    )
    if authority_id is not None:
        statement = statement.join(Party, sa.and_(Party.version_id == SignOffCycle.version_id, Party.authority_id == authority_id))
    days = SignOffCycle.days
    if db.session.get_bind().dialect.name == "postgresql":
        count, median, p90 = db.session.execute(statement.add_columns(
            sa.func.count(), sa.func.percentile_cont(0.5).within_group(days), sa.func.percentile_cont(0.9).within_group(days),
        )).one()
        return Speed(since_day, count, median, p90)
    durations = list(db.session.scalars(statement.add_columns(days).order_by(days)))
    return Speed(since_day, len(durations), percentile(durations, 0.5), percentile(durations, 0.9))


def waiting_parties(authority_id: int | None = None) -> sa.Select:
    """Return a query for each party still to approve a proposed version, longest waiting first (for one authority, or all)."""
    statement = (
        sa.select(Party)
        .join(AgreementVersion, AgreementVersion.id == Party.version_id)
        .where(
            AgreementVersion.state == VersionState.PROPOSED.value,
            ~sa.exists().where(Approval.version_id == Party.version_id, Approval.authority_id == Party.authority_id),
        )
        .order_by(AgreementVersion.submitted_at, Party.id)
    )
    if authority_id is not None:
        statement = statement.where(Party.authority_id == authority_id)
    return statement


@dataclass(frozen=True)
class Waiting:
    """A party still to approve a proposed version: since which day, and for how many days."""

    party: Party
    sent_on: date
    days: int


def waiting(parties: Iterable[Party], today: date) -> list[Waiting]:
    """Return each waiting party (loaded by waiting_parties) with the day its version was sent and the days since."""
    rows = []
    for party in parties:
        sent_on = day_of(party.version.submitted_at)
        rows.append(Waiting(party, sent_on, days_between(sent_on, today)))
    return rows


def waiting_options() -> tuple:
    """Return the loader options that fetch what each waiting row shows, in the page's one query."""
    return (
        joinedload(Party.authority),
        joinedload(Party.version).joinedload(AgreementVersion.agreement).joinedload(Agreement.lead_authority),
    )
