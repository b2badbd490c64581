"""Use cases for reminders: tell each person the reminders due, through notifications, as they chose to hear.

Each reminder is a notice in its recipient's inbox, and an email now or in the day's digest
if they chose so (registry/notifications/delivery.py); sending the emails is the outbox's
own work (registry/outbox/delivery.py).
"""

from datetime import date

from registry.auditlog.recording import record
from registry.core.actors import Actor
from registry.core.errors import PermissionDenied
from registry.notifications.delivery import deliver

from . import messages, policies, queries
from .queries import OBLIGATION, Reminder


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


def queue_due_reminders(actor: Actor, today: date) -> list[Reminder]:
    """Tell each person every reminder due today not told yet, in their inbox and as they chose; return those told.

    Each (subject, date, milestone, recipient) is told once, however often this runs, by its
    notice's key; once a more urgent milestone is told, a less urgent one for the same date
    never is.
    """
    if not policies.can_queue_reminders(actor):
        raise PermissionDenied("Only the scheduled job writes reminders.")
    # In key order, so that two runs at once meet their shared keys in the same order and
    # wait for each other rather than deadlock.
    reminders = sorted(queries.unwritten(queries.reminders_due(today)), key=lambda r: r.key)
    written = []
    for reminder in reminders:
        told = deliver(messages.compose(reminder), [reminder.recipient], defaults={reminder.recipient.id: reminder.delivery})
        if told.notice_id is not None:  # else another run told it first
            written.append((told.notice_id, reminder))
    # Audited after every insert: the log's lock is taken last, never while waiting on a key.
    # The notice is what was told: an inbox-only reminder has no email to name.
    for notice_id, reminder in written:
        record(actor, "reminder.queue", "notice", notice_id, _audit_data(reminder), authorities=_authorities_of(reminder))
    return [reminder for _, reminder in written]
