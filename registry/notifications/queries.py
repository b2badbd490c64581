"""Reading notifications: who belongs to which authorities, how each person chose to hear, their inbox."""

import functools
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from registry.extensions import db
from registry.users.models import Membership, User
from registry.users.roles import Role

from .kinds import BY_NAME, default_delivery
from .models import Notification, NotificationPreference

# The roles at least as senior as each: an approver also contributes, a contributor also views.
_AT_LEAST = {role: [held.value for held in Role if held.includes(role)] for role in Role}


class Recipient(NamedTuple):
    """Someone to tell: who, where to email them, and, for the kind asked about, what they chose (None: never chose).

    Read by members_of() for one authority: with the role they hold for it, and their name,
    for a message that greets them.
    """

    id: int
    email: str
    kind: str | None = None
    chosen: str | None = None
    active: bool = True  # only active people are members_of()'s answer
    name: str = ""
    role: str | None = None


def _one_of(column, name: str, item_type, dialect: str):
    """Return `column IN (the values bound as name)`: on PostgreSQL as one array, so that the statement's text never changes."""
    if dialect == "postgresql":
        return column == sa.any_(sa.bindparam(name, type_=postgresql.ARRAY(item_type)))
    return column.in_(sa.bindparam(name, expanding=True))


@functools.cache
def _members_statement(with_choice: bool, dialect: str) -> sa.Select:
    # Built once: building the select costs more than the database takes to answer it.
    chosen = NotificationPreference.delivery if with_choice else sa.null()
    statement = (
        sa.select(Membership.authority_id, User.id, User.email, chosen, User.name, Membership.role)
        .join(User, User.id == Membership.user_id)
        .where(_one_of(Membership.authority_id, "authority_ids", sa.Integer(), dialect),
               _one_of(Membership.role, "roles", sa.String(), dialect), User.active.is_(True))
        .order_by(Membership.authority_id, User.id)
    )
    if with_choice:
        statement = statement.outerjoin(NotificationPreference, sa.and_(
            NotificationPreference.user_id == User.id, NotificationPreference.kind == sa.bindparam("kind")))
    return statement


def members_of(authority_ids: Iterable[int], role: Role, kind: str | None = None) -> dict[int, list[Recipient]]:
    """Return the active people holding at least `role` for each authority, by authority id, in one query.

    Each comes with their name and the role they hold there; with a kind, also with what
    they chose for it, so that telling them needs no further query (delivery.deliver reads it).
    """
    ids = sorted(set(authority_ids))
    found: dict[int, list[Recipient]] = defaultdict(list)
    if not ids:
        return found
    parameters = {"authority_ids": ids, "roles": _AT_LEAST[role], **({"kind": kind} if kind is not None else {})}
    statement = _members_statement(kind is not None, db.session.get_bind().dialect.name)
    for authority_id, user_id, email, delivery, name, held in db.session.execute(statement, parameters):
        found[authority_id].append(Recipient(user_id, email, kind, delivery, name=name, role=held))
    return found


def chosen_deliveries(user_ids: Iterable[int]) -> dict[tuple[int, str], str]:
    """Return what each of these people chose, by (user id, kind), in one query (nothing for what they never chose)."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(NotificationPreference.user_id, NotificationPreference.kind, NotificationPreference.delivery)
        .where(NotificationPreference.user_id.in_(ids))
    )
    return {(row.user_id, row.kind): row.delivery for row in rows}


def preferences_of(user: User) -> dict[str, str]:
    """Return how the person hears of each kind, by kind: what they chose, else the kind's default for them."""
    chosen = chosen_deliveries([user.id])
    approver = any(m.role == Role.APPROVER.value for m in user.memberships)
    return {name: chosen.get((user.id, name), default_delivery(name, approver=approver)) for name in BY_NAME}


def inbox(user: User, *, unread_only: bool = False) -> sa.Select:
    """Return a query for the person's notifications, newest first, optionally only the unread."""
    statement = sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.notice_id.desc())
    if unread_only:
        statement = statement.where(Notification.read_at.is_(None))
    return statement


def unread_count(user: User) -> int:
    """Return how many of the person's notifications are unread."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def notification_of(user: User, notice_id: int) -> Notification | None:
    """Return the person's copy of a notice, or None if it was not for them."""
    return db.session.get(Notification, (user.id, notice_id))


def digests_waiting() -> dict[int, list[Notification]]:
    """Return, for each person with notifications waiting for their digest, those notifications, oldest first."""
    waiting: dict[int, list[Notification]] = defaultdict(list)
    for notification in db.session.scalars(
        sa.select(Notification).where(Notification.digest_waiting.is_(True)).order_by(Notification.user_id, Notification.notice_id)
    ):
        waiting[notification.user_id].append(notification)
    return waiting
