"""Use cases for reminders: write the reminders due into the outbox, choose your reminders.

Sending what is written is the outbox's own work (registry/outbox/delivery.py).
"""

from datetime import date

from registry.auditlog.recording import record
from registry.core.actors import Actor
from registry.core.errors import PermissionDenied
from registry.extensions import db
from registry.outbox import queries as outbox_queries, services as outbox
from registry.outbox.models import OutboxMessage

from . import messages, policies, queries
from .models import ReminderPreference
from .queries import OBLIGATION, PREFERENCE_KINDS, Reminder


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
        subject, body = messages.compose(reminder)
        message_id = outbox.enqueue(
            key=reminder.key, user_id=reminder.recipient.id, to_address=reminder.recipient.email, subject=subject, body=body
        )
        if message_id is not None:
            written.append((message_id, reminder))
    # Audited after every insert: the log's lock is taken last, never while waiting on a key.
    for message_id, reminder in written:
        record(actor, "reminder.queue", "outbox_message", message_id, _audit_data(reminder), authorities=_authorities_of(reminder))
    return outbox_queries.messages_with_ids(message_id for message_id, _ in written)


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
