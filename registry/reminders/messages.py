"""What reminder emails say: the subject and body of each, written into the outbox by services.py."""

from flask import current_app

from registry.agreements.models import OBLIGATION_TYPES
from registry.core.links import external_url
from registry.core.templating import format_date
from registry.core.text import one_line
from registry.obligations.models import ATTESTATION_STATUSES

from .queries import OVERDUE, REVIEW, Reminder


def _link(endpoint: str, **values) -> str:
    """Return a link to a page, on the registry's own base URL (no request needed)."""
    return external_url(endpoint, **values)


def _when(reminder: Reminder) -> str:
    days = reminder.days_left
    if days < 0:
        return "overdue"
    if days == 0:
        return "due today"
    return "due tomorrow" if days == 1 else f"due in {days} days"


def _names(authorities) -> str:
    names = [a.name for a in authorities]
    if len(names) <= 1:
        return names[0] if names else "the other parties"
    return ", ".join(names[:-1]) + " and " + names[-1]


def compose(reminder: Reminder) -> tuple[str, str]:
    """Return the subject and plain-text body of a reminder, naming no one but its recipient."""
    agreement = reminder.agreement
    title = agreement.current_version.title
    date_text = format_date(reminder.due)
    if reminder.kind == REVIEW:
        what = "Review"
        if reminder.milestone == OVERDUE:
            opening = f"The review of the agreement {agreement.reference}, {title}, was due on {date_text}. It is now overdue."
        else:
            opening = f"The agreement {agreement.reference}, {title}, is due for review on {date_text} ({_when(reminder)})."
        why = f"You are getting this email because you are an approver for {_names(reminder.because_of)}, a party to this agreement."
        todo = "Check that the agreement is still needed and still right, and agree any changes with the other parties."
        subject = f"{what} {_when(reminder)}: {agreement.reference} {one_line(title)}"
    else:
        due = reminder.obligation
        kind = OBLIGATION_TYPES.get(due.obligation.type, due.obligation.type)
        state = "was due" if reminder.milestone == OVERDUE else "is due"
        opening = (
            f"{due.owed_by.name} owes {_names(due.owed_to)} an obligation under the agreement "
            f"{agreement.reference}, {title}:\n\n{kind}\n\nIt {state} on {date_text} ({_when(reminder)})."
        )
        role = "which owes it" if reminder.owes else "which it is owed to"
        why = f"You are getting this email because you are an approver for {_names(reminder.because_of)}, {role}."
        todo = f"When it has been done, an approver for {due.owed_by.name} records on the agreement whether it was met."
        subject = f"Obligation {_when(reminder)}: {kind}, {agreement.reference}"
        if due.not_met is not None:
            # Attested, but not as met: the date stays open, and the email says where it stands.
            standing = ATTESTATION_STATUSES[due.not_met.status].lower()
            opening += (f"\n\nOn {format_date(due.not_met.attested_at.date())} {due.owed_by.name} said it was {standing}, "
                        "so it stands as not met.")
            todo = f"When it is met, an approver for {due.owed_by.name} attests again on the agreement."
            subject = f"Obligation {standing}, {_when(reminder)}: {kind}, {agreement.reference}"
    body = "\n\n".join(
        [
            f"Dear {reminder.recipient.name},",
            opening,
            todo,
            why,
            f"See the agreement:\n{_link('agreements.show', reference=agreement.reference)}",
            f"To change which reminders you get:\n{_link('reminders.preferences.edit')}",
            current_app.config["SERVICE_NAME"],
        ]
    )
    return subject, body + "\n"

