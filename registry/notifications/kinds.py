"""The kinds of event a person hears of, and the ways they can choose to hear: plain data, one table.

Each person chooses, per kind, to be emailed at once, in a daily digest, or only in the
registry's inbox. Reminders can also be turned off; their default depends on the person's
role, as before this table existed: approvers get them by email, contributors only if they ask.
"""

from dataclasses import dataclass

EMAIL, DIGEST, INBOX, OFF = "email", "digest", "inbox", "off"

# How a person can hear of something, in the words the preferences page uses.
DELIVERIES = {
    EMAIL: "Email me straight away",
    DIGEST: "Put it in a daily email",
    INBOX: "Only show it in my notifications",
    OFF: "Do not tell me",
}


@dataclass(frozen=True)
class Kind:
    """A kind of event: its name, how the preferences page describes it, and what its person may choose."""

    name: str
    label: str
    hint: str
    reminder: bool = False  # a reminder: contributors only get it if they ask, and it can be turned off

    @property
    def choices(self) -> tuple[str, ...]:
        return (EMAIL, DIGEST, INBOX, OFF) if self.reminder else (EMAIL, DIGEST, INBOX)


KINDS: tuple[Kind, ...] = (
    Kind("proposals", "Agreements waiting for your approval",
         "When a version is sent for approval to an authority you approve for, and when someone asks you to get on with it."),
    Kind("approvals", "Approvals of agreements you submitted or your authority leads",
         "Who approved, for which authority, and who still has to."),
    Kind("in_force", "Agreements approved by every party",
         "When it starts, when it is reviewed, and what each party now owes."),
    Kind("changes_requested", "Changes asked for", "When a party sends back a version you submitted or your authority leads, and why."),
    Kind("endings", "Agreements withdrawn, suspended, resumed, terminated or expired", "Who did it, and why."),
    Kind("reviews", "Reviews started and completed", "For agreements your authority approves, with the next review date."),
    Kind("attestations", "Attestations of obligations owed to your authority", "Whether the obligation was met, with the note."),
    Kind("waiting_too_long", "Approvals waiting too long at an authority you administer",
         "When an authority you administer has not answered a request to approve for twice the usual time."),
    Kind("review_reminders", "Review reminders", "90, 30 and 7 days before an agreement's review date.", reminder=True),
    Kind("obligation_reminders", "Obligation reminders",
         "90, 30 and 7 days before an obligation falls due.", reminder=True),
    Kind("overdue_reminders", "Overdue reminders", "When a review or an obligation is overdue.", reminder=True),
)

BY_NAME = {kind.name: kind for kind in KINDS}


def default_delivery(kind: str, *, approver: bool = True) -> str:
    """Return how a person hears of a kind of event until they choose: reminders only reach approvers unasked."""
    if BY_NAME[kind].reminder and not approver:
        return OFF
    return EMAIL
