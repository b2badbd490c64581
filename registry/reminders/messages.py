"""What a reminder says to its one recipient, as a notifications Message: told by services.py through notifications."""

from registry.agreements.models import OBLIGATION_TYPES
from registry.core.links import path_for
from registry.core.templating import format_date
from registry.core.text import one_line
from registry.notifications.delivery import Message
from registry.notifications.kinds import BY_NAME
from registry.notifications.wording import listed
from registry.obligations.models import ATTESTATION_STATUSES

from .queries import OVERDUE, REVIEW, Reminder


def _when(reminder: Reminder) -> str:
    days = reminder.days_left
    if days < 0:
        return "overdue"
    if days == 0:
        return "due today"
    return "due tomorrow" if days == 1 else f"due in {days} days"


def _names(authorities) -> str:
    return listed((a.name for a in authorities), empty="the other parties")


def _why(reminder: Reminder, where: str) -> str:
    """Return why the recipient gets it: the role that brings it to them unasked, or that they asked."""
    if reminder.approves:
        return f"You get this because you are an approver for {_names(reminder.because_of)}, {where}."
    label = BY_NAME[reminder.notification_kind].label.lower()
    return f"You get this because you are a contributor for {_names(reminder.because_of)}, {where}, and asked for {label}."


def compose(reminder: Reminder) -> Message:
    """Return what a reminder tells its recipient, greeting them by name and naming no one else."""
    agreement = reminder.agreement
    title = agreement.current_version.title
    date_text = format_date(reminder.due)
    agreement_page = path_for("agreements.show", reference=agreement.reference)
    if reminder.kind == REVIEW:
        if reminder.milestone == OVERDUE:
            opening = f"The review of the agreement {agreement.reference}, {title}, was due on {date_text}. It is now overdue."
        else:
            opening = f"The agreement {agreement.reference}, {title}, is due for review on {date_text} ({_when(reminder)})."
        todo = "Check that the agreement is still needed and still right, and agree any changes with the other parties."
        subject = f"Review {_when(reminder)}: {agreement.reference} {one_line(title)}"
        why = _why(reminder, "a party to this agreement")
        link, action = agreement_page, "See the agreement"
    else:
        due = reminder.obligation
        kind = OBLIGATION_TYPES.get(due.obligation.type, due.obligation.type)
        state = "was due" if reminder.milestone == OVERDUE else "is due"
        opening = (
            f"{due.owed_by.name} owes {_names(due.owed_to)} an obligation under the agreement "
            f"{agreement.reference}, {title}:\n\n{kind}\n\nIt {state} on {date_text} ({_when(reminder)})."
        )
        todo = f"When it has been done, an approver for {due.owed_by.name} attests on the registry whether it was met."
        subject = f"Obligation {_when(reminder)}: {kind}, {agreement.reference}"
        if due.not_met is not None:
            # Attested, but not as met: the date stays open, and the reminder says where it stands.
            standing = ATTESTATION_STATUSES[due.not_met.status].lower()
            opening += (f"\n\nOn {format_date(due.not_met.attested_at.date())} {due.owed_by.name} said it was {standing}, "
                        "so it stands as not met.")
            todo = f"When it is met, an approver for {due.owed_by.name} attests again on the registry."
            subject = f"Obligation {standing}, {_when(reminder)}: {kind}, {agreement.reference}"
        why = _why(reminder, "which owes it" if reminder.owes else "which it is owed to")
        if reminder.owes and reminder.approves:
            # The owing party's approvers are the ones who attest: straight to the form.
            link, action = path_for("obligations.attest_form", obligation_id=due.obligation.id), "Attest whether it was met"
        else:
            link, action = agreement_page + "#obligations", "See the agreement's obligations"
    return Message(
        kind=reminder.notification_kind,
        key=reminder.key,
        title=subject,
        paragraphs=(f"Dear {reminder.recipient.name},", opening, todo),
        link=link,
        action=action,
        agreement_reference=agreement.reference,
        why=why,
    )
