"""Reading reminders: which are due today, for whom and how they hear of it, and which are not yet written.

A reminder goes at 90, 30 and 7 days before a review date or an obligation's due date, and
once the date has passed. It goes to the approvers of the parties concerned unless they
turned it off, and to their contributors who asked for it, each as they chose on their
notifications page (registry/notifications/kinds.py). Nothing here writes: the dry run and
the real run plan alike.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from registry.agreements.models import Agreement
from registry.authorities.models import Authority
from registry.extensions import db
from registry.notifications.kinds import OFF, default_delivery
from registry.notifications.models import Notice
from registry.notifications.queries import Recipient, members_of
from registry.obligations.queries import ObligationDue, obligations_in_force, reviews_due
from registry.outbox import queries as outbox_queries
from registry.users.roles import Role

REVIEW = "review"
OBLIGATION = "obligation"
OVERDUE = "overdue"
# Least urgent first; a milestone counts once its number of days (or fewer) remain.
MILESTONES = ("90", "30", "7", OVERDUE)
DAYS_BEFORE = {"90": 90, "30": 30, "7": 7}
# Values looked up per query, well under either database's limit on bound parameters.
_CHUNK = 500


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


def notification_kind(kind: str, milestone: str) -> str:
    """Return the kind of notification a reminder is: overdue ones are overdue_reminders, whatever they are about."""
    if milestone == OVERDUE:
        return "overdue_reminders"
    return "review_reminders" if kind == REVIEW else "obligation_reminders"


def reminder_key(kind: str, subject: str, due: date, milestone: str, user_id: int) -> str:
    """Return the key that makes a reminder unique: what, which date, which milestone, for whom."""
    return f"{kind}:{subject}:{due.isoformat()}:{milestone}:user-{user_id}"


@dataclass(frozen=True)
class Reminder:
    """One reminder due now: about which review or obligation, at which milestone, for whom, why them and how."""

    kind: str  # REVIEW or OBLIGATION
    subject: str  # the agreement's reference, or the obligation's lineage
    agreement: Agreement
    due: date
    days_left: int  # negative once overdue
    milestone: str
    recipient: Recipient  # read for this reminder's notification kind, with what they chose for it
    # The recipient's authorities this is about: parties to the agreement, or (for an
    # obligation) the one that owes it, or those it is owed to. Those they approve for
    # when they approve for any, else those they contribute to.
    because_of: tuple[Authority, ...]
    approves: bool  # the recipient approves for because_of; else they contribute, and asked for this
    delivery: str  # how they hear of it: email, digest or inbox (nobody is reminded "off")
    owes: bool = False  # for an obligation: the recipient belongs to the party that owes it
    obligation: ObligationDue | None = None

    @property
    def notification_kind(self) -> str:
        return notification_kind(self.kind, self.milestone)

    @property
    def key(self) -> str:
        return reminder_key(self.kind, self.subject, self.due, self.milestone, self.recipient.id)

    def key_at(self, milestone: str) -> str:
        """Return the key the same reminder has at another milestone."""
        return reminder_key(self.kind, self.subject, self.due, milestone, self.recipient.id)


@dataclass(frozen=True)
class _Person:
    """Someone to remind of one thing: as read for its kind, the authorities it is about for them, and how they hear."""

    recipient: Recipient
    because_of: tuple[Authority, ...]
    approves: bool
    delivery: str


def _people(members: dict[int, list[Recipient]], authorities: Iterable[Authority], kind: str) -> dict[int, _Person]:
    """Return, by user id, each member of these authorities to remind, once, unless they turned this kind off.

    Approvers hear unless they chose otherwise; contributors only if they chose to.
    """
    approving: dict[int, list[Authority]] = {}
    contributing: dict[int, list[Authority]] = {}
    found: dict[int, Recipient] = {}
    for authority in authorities:
        for member in members.get(authority.id, ()):
            found.setdefault(member.id, member)
            held = approving if member.role == Role.APPROVER.value else contributing
            held.setdefault(member.id, []).append(authority)
    people = {}
    for user_id, member in found.items():
        approves = user_id in approving
        delivery = member.chosen or default_delivery(kind, approver=approves)
        if delivery != OFF:
            because_of = approving[user_id] if approves else contributing[user_id]
            people[user_id] = _Person(member, tuple(because_of), approves, delivery)
    return people


def reminders_due(today: date) -> list[Reminder]:
    """Return every reminder due today (the most urgent milestone reached), for the people who hear of it.

    The same number of queries however many there are: the reviews, the obligations, and the
    people with their choices, read once for each kind of reminder due.
    """
    reviews = [(a, m) for a in reviews_due(today) if (m := milestone_on(a.review_due, today))]
    obligations = [(o, m) for o in obligations_in_force(today) if o.next_due and (m := milestone_on(o.next_due, today))]
    concerned: dict[str, set[int]] = {}
    for agreement, milestone in reviews:
        concerned.setdefault(notification_kind(REVIEW, milestone), set()).update(
            party.authority_id for party in agreement.current_version.parties)
    for due, milestone in obligations:
        ids = concerned.setdefault(notification_kind(OBLIGATION, milestone), set())
        ids.add(due.owed_by.id)
        if milestone == OVERDUE:
            ids.update(authority.id for authority in due.owed_to)
    members = {kind: members_of(ids, Role.CONTRIBUTOR, kind) for kind, ids in concerned.items()}

    reminders = []
    for agreement, milestone in reviews:
        kind = notification_kind(REVIEW, milestone)
        parties = [party.authority for party in agreement.current_version.parties]
        for person in _people(members[kind], parties, kind).values():
            reminders.append(
                Reminder(REVIEW, agreement.reference, agreement, agreement.review_due, (agreement.review_due - today).days,
                         milestone, person.recipient, person.because_of, person.approves, person.delivery)
            )
    for due, milestone in obligations:
        kind = notification_kind(OBLIGATION, milestone)
        owing = _people(members[kind], [due.owed_by], kind)
        # The authorities it is owed to hear of it only once it is overdue.
        owed = _people(members[kind], due.owed_to, kind) if milestone == OVERDUE else {}
        for user_id, person in {**owed, **owing}.items():
            reminders.append(
                Reminder(OBLIGATION, due.obligation.lineage, due.agreement, due.next_due, (due.next_due - today).days,
                         milestone, person.recipient, person.because_of, person.approves, person.delivery,
                         owes=user_id in owing, obligation=due)
            )
    return reminders


def _keys_told(keys: Iterable[str]) -> set[str]:
    """Return which of these keys a notice holds, or (a reminder written before reminders were notices) an outbox message."""
    keys = sorted(set(keys))
    found: set[str] = set()
    for start in range(0, len(keys), _CHUNK):
        found.update(db.session.scalars(sa.select(Notice.key).where(Notice.key.in_(keys[start : start + _CHUNK]))))
    return found | outbox_queries.existing_keys(keys)


def unwritten(reminders: list[Reminder]) -> list[Reminder]:
    """Return the reminders not yet told, leaving out any overtaken by a more urgent one already told."""

    def keys_of(reminder: Reminder) -> list[str]:
        return [reminder.key] + [reminder.key_at(m) for m in more_urgent_than(reminder.milestone)]

    present = _keys_told(key for reminder in reminders for key in keys_of(reminder))
    return [r for r in reminders if not present.intersection(keys_of(r))]
