"""Tests of reminders; helpers shared by them: moving time, adding obligations, reading what was told and the outbox."""

import json
import uuid
from datetime import date, timedelta

import sqlalchemy as sa

from registry.agreements.models import Obligation
from registry.auditlog.models import AuditEntry
from registry.extensions import db
from registry.notifications.models import Notice, Notification
from registry.outbox.models import OutboxMailing, OutboxMessage
from tests.agreements.builders import agreement_in
from tests.outbox import messages_in_outbox as outbox


def active_agreement(councils):
    """Return a Leeds-led agreement in force with Bradford and Kirklees, with no obligations (tests add their own).

    Its outbox and everyone's notifications start empty: what the workflow told people as it
    was built (tested in tests/notifications) would only get in the way of counting reminders.
    """
    agreement = agreement_in("active", councils)
    db.session.execute(sa.delete(Obligation).where(Obligation.version_id == agreement.current_version_id))
    db.session.execute(sa.delete(Notification))
    db.session.execute(sa.delete(Notice))
    db.session.execute(sa.delete(OutboxMessage))
    db.session.execute(sa.delete(OutboxMailing))
    db.session.commit()
    db.session.expire_all()
    return agreement


def move_to(app, day: date) -> None:
    """Make `day` today, for the app and for the commands it runs."""
    app.config["TODAY"] = day.isoformat()


def add_obligation(agreement, *, owed_by: str, owed_to: str | None = None, due: date | None = None,
                   type: str = "retention", due_kind: str = "date", every_months: int | None = None) -> Obligation:
    """Add an obligation to the version in force: owed by one party's authority code, to one or (None) all others."""
    version = agreement.current_version
    parties = {party.authority.code: party for party in version.parties}
    obligation = Obligation(
        version=version,
        lineage=uuid.uuid4().hex,
        owed_by=parties[owed_by],
        owed_to=parties[owed_to] if owed_to else None,
        type=type,
        description="Delete the shared records when the purpose ends.",
        due_kind=due_kind,
        due_date=due,
        every_months=every_months,
        event="a breach" if due_kind == "event" else "",
        within_hours=72 if due_kind == "event" else None,
    )
    db.session.add(obligation)
    db.session.commit()
    return obligation


def told() -> list[sa.Row]:
    """Return each person's notifications (user_id, key, title, link, digest_waiting), oldest first, as stored now."""
    rows = db.session.execute(
        sa.select(Notification.user_id, Notice.key, Notice.title, Notice.link, Notification.digest_waiting)
        .join(Notice, Notice.id == Notification.notice_id)
        .order_by(Notice.id, Notification.user_id)
    ).all()
    db.session.rollback()
    return rows


def keys() -> set[str]:
    """Return the keys of every reminder told: its notice's, whether it went by email, into a digest or only to the inbox."""
    return {row.key for row in told()}


def keys_for(person) -> set[str]:
    """Return the keys of the reminders told to one person."""
    return {row.key for row in told() if row.user_id == person.id}


def milestones_written() -> set[str]:
    """Return the milestones (90, 30, 7, overdue) of the reminders told."""
    return {key.split(":")[3] for key in keys()}


def recipients() -> set[int]:
    """Return the user ids of the people told a reminder (in their notifications, however else they hear)."""
    return {row.user_id for row in told()}


def emailed() -> set[int]:
    """Return the user ids the outbox has messages for."""
    return {message.user_id for message in outbox()}


def approver_ids(councils, *codes: str) -> set[int]:
    """Return the ids of both approvers of each council named by code."""
    return {person.id for code in codes for person in (councils[code].approver, councils[code].second_approver)}


def audit_entries(action: str) -> list[dict]:
    """Return the parsed audit entries with this action, oldest first."""
    rows = db.session.scalars(sa.select(AuditEntry.entry).where(AuditEntry.action == action).order_by(AuditEntry.index))
    entries = [json.loads(row) for row in rows]
    db.session.rollback()
    return entries


def send(runner, *args: str):
    """Run `flask reminders send` with any options; return the result."""
    return runner.invoke(args=["reminders", "send", *args])


def send_then_put_the_clock_back(app, runner, agreement) -> str:
    """Send reminders 5 days before the review, then again with the clock put back to 20 days
    before (a clock put right, say); return what the second run printed."""
    move_to(app, agreement.review_due - timedelta(days=5))
    send(runner)
    move_to(app, agreement.review_due - timedelta(days=20))
    return send(runner).output
