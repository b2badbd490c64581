"""Reading notifications: who belongs to which authorities, how each person chose to hear, their inbox."""

from collections import defaultdict
from collections.abc import Iterable

import sqlalchemy as sa

from registry.extensions import db
from registry.users.models import Membership, User
from registry.users.roles import Role

from .kinds import BY_NAME, default_delivery
from .models import Notification, NotificationPreference

# The roles at least as senior as each: an approver also contributes, a contributor also views.
_AT_LEAST = {role: [held.value for held in Role if held.includes(role)] for role in Role}


def members_of(authority_ids: Iterable[int], role: Role) -> dict[int, list[User]]:
    """Return the active people holding at least `role` for each authority, by authority id, in one query."""
    ids = sorted(set(authority_ids))
    found: dict[int, list[User]] = defaultdict(list)
    if not ids:
        return found
    rows = db.session.execute(
        sa.select(Membership.authority_id, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.authority_id.in_(ids), Membership.role.in_(_AT_LEAST[role]), User.active.is_(True))
        .order_by(Membership.authority_id, User.id)
    )
    for authority_id, user in rows:
        found[authority_id].append(user)
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
    statement = sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id.desc())
    if unread_only:
        statement = statement.where(Notification.read_at.is_(None))
    return statement


def unread_count(user: User) -> int:
    """Return how many of the person's notifications are unread."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def notification_of(user: User, notification_id: int) -> Notification | None:
    """Return one of the person's notifications, or None if there is none of theirs with that id."""
    return db.session.scalar(
        sa.select(Notification).where(Notification.id == notification_id, Notification.user_id == user.id)
    )


def digests_waiting() -> dict[int, list[Notification]]:
    """Return, for each person with notifications waiting for their digest, those notifications, oldest first."""
    waiting: dict[int, list[Notification]] = defaultdict(list)
    for notification in db.session.scalars(
        sa.select(Notification).where(Notification.digest_waiting.is_(True)).order_by(Notification.user_id, Notification.id)
    ):
        waiting[notification.user_id].append(notification)
    return waiting
