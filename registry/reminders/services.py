"""Use cases for reminders: write the reminders due into the outbox, send the outbox, choose your reminders."""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from registry.auditlog.recording import record
from registry.core.actors import Actor
from registry.core.errors import PermissionDenied
from registry.extensions import db

from . import mail, policies, queries
from .models import OutboxMessage, ReminderPreference
from .queries import OBLIGATION, PREFERENCE_KINDS, Reminder

# Step two, sending, lives with the SMTP code: unlike a use case here it commits, once per
# message, and it writes no audit entry (see its docstring). Re-exported for callers.
send_outbox = mail.send_outbox

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _insert_if_absent(values: dict) -> int | None:
    """Insert an outbox message unless its key is there already; return its id, or None if it was there.

    ON CONFLICT DO NOTHING on both databases: a second run at the same moment waits for the
    first to commit, then finds the key taken, and writes nothing rather than failing.
    """
    insert = _INSERT[db.session.get_bind().dialect.name]
    statement = insert(OutboxMessage).values(**values).on_conflict_do_nothing(index_elements=["key"])
    return db.session.scalar(statement.returning(OutboxMessage.id))


def _audit_data(reminder: Reminder) -> dict:
    # The recipient by id only: the log is kept for ever, an email address is personal data.
    data = {"kind": reminder.kind, "agreement": reminder.agreement.reference}
    if reminder.kind == OBLIGATION:
        data["obligation"] = reminder.subject
    return {**data, "due": reminder.due, "milestone": reminder.milestone, "recipient": reminder.recipient.id}


def _authorities_of(reminder: Reminder) -> list:
    if reminder.kind == OBLIGATION:
        return [reminder.obligation.owed_by, *reminder.obligation.owed_to]
    return [party.authority for party in reminder.agreement.current_version.parties]


def queue_due_reminders(actor: Actor, today: date) -> list[OutboxMessage]:
    """Write into the outbox every reminder due today that is not there yet; return the messages written.

    Each (subject, date, milestone, recipient) is written once, however often this runs;
    once a more urgent milestone is written, a less urgent one for the same date never is.
    """
    if not policies.can_queue_reminders(actor):
        raise PermissionDenied("Only the scheduled job writes reminders.")
    # In key order, so that two runs at once meet their shared keys in the same order and
    # wait for each other rather than deadlock.
    reminders = sorted(queries.unwritten(queries.reminders_due(today)), key=lambda r: r.key)
    written = []
    for reminder in reminders:
        subject, body = mail.compose(reminder)
        message_id = _insert_if_absent(
            {"key": reminder.key, "user_id": reminder.recipient.id, "to_address": reminder.recipient.email,
             "subject": subject[:300], "body": body}
        )
        if message_id is not None:
            written.append((message_id, reminder))
    # Audited after every insert: the log's lock is taken last, never while waiting on a key.
    for message_id, reminder in written:
        record(actor, "reminder.queue", "outbox_message", message_id, _audit_data(reminder), authorities=_authorities_of(reminder))
    ids = [message_id for message_id, _ in written]
    messages = []
    for start in range(0, len(ids), 500):
        messages += db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.id.in_(ids[start : start + 500])))
    return sorted(messages, key=lambda m: m.id)


def set_preferences(actor: Actor, data: dict[str, bool]) -> ReminderPreference:
    """Record which reminders the actor wants: data is {"reviews": bool, "obligations": bool, "overdue": bool}."""
    if not policies.can_choose_reminders(actor):
        raise PermissionDenied("Only a signed-in person can choose their reminders.")
    preference = db.session.get(ReminderPreference, actor.id)
    if preference is None:
        preference = queries.default_preferences(actor)
        db.session.add(preference)
    changes = {}
    for kind in PREFERENCE_KINDS:
        wanted = bool(data[kind])
        if getattr(preference, kind) != wanted:
            changes[kind] = {"from": getattr(preference, kind), "to": wanted}
            setattr(preference, kind, wanted)
    if changes:
        record(actor, "reminder.preferences", "user", actor.id, {"changes": changes})
    elif preference in db.session.new:
        # Nothing changed: keep no row for a person who still wants everything.
        db.session.expunge(preference)
    db.session.flush()
    return preference
