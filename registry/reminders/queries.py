"""Reading reminders: which are due today and for whom, which are not yet written, preferences.

A reminder goes at 90, 30 and 7 days before a review date or an obligation's due date, and
once the date has passed. Nothing here writes: the dry run and the real run plan alike.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from registry.agreements.models import Agreement
from registry.authorities.models import Authority
from registry.extensions import db
from registry.obligations.queries import ObligationDue, obligations_in_force, reviews_due
from registry.outbox import queries as outbox_queries
from registry.users.models import Membership, User
from registry.users.roles import Role

from .models import ReminderPreference

REVIEW = "review"
OBLIGATION = "obligation"
OVERDUE = "overdue"
# Least urgent first; a milestone counts once its number of days (or fewer) remain.
MILESTONES = ("90", "30", "7", OVERDUE)
DAYS_BEFORE = {"90": 90, "30": 30, "7": 7}
# What a person can turn off, in the order the preferences page shows them.
PREFERENCE_KINDS = ("reviews", "obligations", "overdue")


def milestone_on(due: date, today: date) -> str | None:
    """Return the most urgent milestone reached for a date today: "overdue", "7", "30", "90", or None."""
    days = (due - today).days
    if days < 0:
        return OVERDUE
    reached = [name for name, before in DAYS_BEFORE.items() if days <= before]
    return reached[-1] if reached else None


def more_urgent_than(milestone: str) -> tuple[str, ...]:
    """Return the milestones more urgent than this one."""
    return MILESTONES[MILESTONES.index(milestone) + 1 :]


def reminder_key(kind: str, subject: str, due: date, milestone: str, user_id: int) -> str:
    """Return the outbox key that makes a reminder unique: what, which date, which milestone, for whom."""
    return f"{kind}:{subject}:{due.isoformat()}:{milestone}:user-{user_id}"


@dataclass(frozen=True)
class Reminder:
    """One reminder due now: about which review or obligation, at which milestone, for whom and why them."""

    kind: str  # REVIEW or OBLIGATION
    subject: str  # the agreement's reference, or the obligation's lineage
    agreement: Agreement
    due: date
    days_left: int  # negative once overdue
    milestone: str
    recipient: User
    # The recipient's authorities this is about: parties to the agreement, or (for an
    # obligation) the one that owes it, or those it is owed to.
    because_of: tuple[Authority, ...]
    owes: bool = False  # for an obligation: the recipient approves for the party that owes it
    obligation: ObligationDue | None = None

    @property
    def key(self) -> str:
        return reminder_key(self.kind, self.subject, self.due, self.milestone, self.recipient.id)

    def key_at(self, milestone: str) -> str:
        """Return the key the same reminder has at another milestone."""
        return reminder_key(self.kind, self.subject, self.due, milestone, self.recipient.id)


def default_preferences(user: User) -> ReminderPreference:
    """Return preferences with everything on, as for a person who never chose (not added to the session)."""
    return ReminderPreference(user_id=user.id, reviews=True, obligations=True, overdue=True)


def preferences_of(user: User) -> ReminderPreference:
    """Return what the person chose to receive; everything, if they never chose."""
    return db.session.get(ReminderPreference, user.id) or default_preferences(user)


def wants(preference: ReminderPreference, kind: str, milestone: str) -> bool:
    """Return whether preferences let a reminder through: overdue ones follow `overdue`, whatever their kind."""
    if milestone == OVERDUE:
        return preference.overdue
    return preference.reviews if kind == REVIEW else preference.obligations


def approvers_of(authority_ids: Iterable[int]) -> dict[int, list[User]]:
    """Return the active approvers of each authority, by authority id, with one query."""
    ids = sorted(set(authority_ids))
    found: dict[int, list[User]] = defaultdict(list)
    if not ids:
        return found
    rows = db.session.execute(
        sa.select(Membership.authority_id, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.authority_id.in_(ids), Membership.role == Role.APPROVER.value, User.active.is_(True))
        .order_by(Membership.authority_id, User.id)
    )
    for authority_id, user in rows:
        found[authority_id].append(user)
    return found


def _preferences_for(users: Iterable[User]) -> dict[int, ReminderPreference]:
    users = {user.id: user for user in users}
    chosen = {p.user_id: p for p in db.session.scalars(sa.select(ReminderPreference).where(ReminderPreference.user_id.in_(users)))}
    return {user_id: chosen.get(user_id) or default_preferences(user) for user_id, user in users.items()}


def _recipients(approvers: dict[int, list[User]], authorities: Iterable[Authority]) -> dict[int, tuple[User, list[Authority]]]:
    """Return each approver of these authorities once, with the authorities they approve for."""
    found: dict[int, tuple[User, list[Authority]]] = {}
    for authority in authorities:
        for user in approvers.get(authority.id, ()):
            found.setdefault(user.id, (user, []))[1].append(authority)
    return found


def reminders_due(today: date) -> list[Reminder]:
    """Return every reminder due today (the most urgent milestone reached), for the people who want it."""
    reviews = [(a, m) for a in reviews_due(today) if (m := milestone_on(a.review_due, today))]
    obligations = [(o, m) for o in obligations_in_force(today) if o.next_due and (m := milestone_on(o.next_due, today))]
    authority_ids = {p.authority_id for a, _ in reviews for p in a.current_version.parties}
    authority_ids |= {o.owed_by.id for o, _ in obligations} | {a.id for o, _ in obligations for a in o.owed_to}
    approvers = approvers_of(authority_ids)
    reminders = []
    for agreement, milestone in reviews:
        parties = [party.authority for party in agreement.current_version.parties]
        for user, because_of in _recipients(approvers, parties).values():
            reminders.append(
                Reminder(REVIEW, agreement.reference, agreement, agreement.review_due,
                         (agreement.review_due - today).days, milestone, user, tuple(because_of))
            )
    for due, milestone in obligations:
        owing = _recipients(approvers, [due.owed_by])
        # The authorities it is owed to hear of it only once it is overdue.
        owed = _recipients(approvers, due.owed_to) if milestone == OVERDUE else {}
        for user_id, (user, because_of) in {**owed, **owing}.items():
            reminders.append(
                Reminder(OBLIGATION, due.obligation.lineage, due.agreement, due.next_due, (due.next_due - today).days,
                         milestone, user, tuple(because_of), owes=user_id in owing, obligation=due)
            )
    preferences = _preferences_for(r.recipient for r in reminders)
    return [r for r in reminders if wants(preferences[r.recipient.id], r.kind, r.milestone)]


def unwritten(reminders: list[Reminder]) -> list[Reminder]:
    """Return the reminders not yet in the outbox, leaving out any overtaken by a more urgent one already written."""

    def keys_of(reminder: Reminder) -> list[str]:
        return [reminder.key] + [reminder.key_at(m) for m in more_urgent_than(reminder.milestone)]

    present = outbox_queries.existing_keys(key for reminder in reminders for key in keys_of(reminder))
    return [r for r in reminders if not present.intersection(keys_of(r))]


def approver_authorities(user: User) -> list[Authority]:
    """Return the authorities the person approves for, by name: the ones their reminders are about."""
    return sorted((m.authority for m in user.memberships if m.role == Role.APPROVER.value), key=lambda a: a.name)
