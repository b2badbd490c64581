"""The workflow as a table: (status, action) -> next status. Pure Python: no Flask, no database.

It follows domain.md's table exactly. The approval cycle (submit, approve, request changes,
withdraw) runs on a new agreement's own status, and in the same way on an amendment's
state while the agreement stays in force.
"""

from enum import StrEnum

from . import statuses


class Status(StrEnum):
    """Where an agreement is in its life (and, for draft and proposed, where an amendment is)."""

    DRAFT = "draft"
    PROPOSED = "proposed"
    APPROVED = "approved"
    ACTIVE = "active"
    UNDER_REVIEW = "under_review"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return statuses.word(self.value)


class Action(StrEnum):
    """Something that moves an agreement on."""

    SUBMIT = "submit"
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    WITHDRAW = "withdraw"
    START = "start"
    START_REVIEW = "start_review"
    COMPLETE_REVIEW = "complete_review"
    AMEND = "amend"
    SUSPEND = "suspend"
    RESUME = "resume"
    TERMINATE = "terminate"
    EXPIRE = "expire"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def phrase(self) -> str:
        """Return the action as in "You cannot … an agreement"."""
        return _PHRASES.get(self, self.value.replace("_", " "))


_PHRASES = {
    Action.REQUEST_CHANGES: "request changes to",
    Action.START_REVIEW: "start a review of",
    Action.COMPLETE_REVIEW: "complete a review of",
}

S, A = Status, Action

TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (S.DRAFT, A.SUBMIT): S.PROPOSED,
    # Approving keeps the agreement proposed until every party has approved this version.
    (S.PROPOSED, A.APPROVE): S.PROPOSED,
    (S.PROPOSED, A.REQUEST_CHANGES): S.DRAFT,
    (S.PROPOSED, A.WITHDRAW): S.WITHDRAWN,
    (S.APPROVED, A.START): S.ACTIVE,
    (S.ACTIVE, A.START_REVIEW): S.UNDER_REVIEW,
    (S.UNDER_REVIEW, A.COMPLETE_REVIEW): S.ACTIVE,
    # Amending starts a new draft version; the agreement stays as it is, in force.
    (S.ACTIVE, A.AMEND): S.ACTIVE,
    (S.UNDER_REVIEW, A.AMEND): S.UNDER_REVIEW,
    (S.ACTIVE, A.SUSPEND): S.SUSPENDED,
    (S.UNDER_REVIEW, A.SUSPEND): S.SUSPENDED,
    (S.SUSPENDED, A.RESUME): S.ACTIVE,
    (S.ACTIVE, A.TERMINATE): S.TERMINATED,
    (S.UNDER_REVIEW, A.TERMINATE): S.TERMINATED,
    (S.SUSPENDED, A.TERMINATE): S.TERMINATED,
    (S.ACTIVE, A.EXPIRE): S.EXPIRED,
}

# When the last party approves, the version is approved rather than still proposed.
ONCE_EVERY_PARTY_APPROVED: dict[tuple[Status, Action], Status] = {(S.PROPOSED, A.APPROVE): S.APPROVED}

# The approval cycle's actions; they apply to an amendment's own state as well.
APPROVAL_CYCLE = frozenset({A.SUBMIT, A.APPROVE, A.REQUEST_CHANGES, A.WITHDRAW})

# Only the scheduled job (`flask agreements tick`) takes these, when a date comes.
DATE_DRIVEN = frozenset({A.START, A.EXPIRE})

FINAL = frozenset({S.TERMINATED, S.EXPIRED, S.WITHDRAWN})

WHO_MAY = {
    A.SUBMIT: "a contributor or approver of the lead authority",
    A.APPROVE: "an approver of each party, for their own authority",
    A.REQUEST_CHANGES: "an approver of any party, with a reason",
    A.WITHDRAW: "a contributor or approver of the lead authority",
    A.START: "the scheduled job, when the start date comes",
    A.START_REVIEW: "the scheduled job when the review is due, or any party",
    A.COMPLETE_REVIEW: "an approver of the lead authority, with the next review date",
    A.AMEND: "any party",
    A.SUSPEND: "an approver of any party, with a reason",
    A.RESUME: "the approver who suspended it, or every party",
    A.TERMINATE: "an approver of any party, with a reason",
    A.EXPIRE: "the scheduled job, when the end date has passed",
}


class NotAllowed(Exception):
    """The action is not in the table for this status."""

    def __init__(self, status: Status, action: Action) -> None:
        super().__init__(f"You cannot {action.phrase} an agreement that is {status.label.lower()}.")
        self.status = status
        self.action = action


def next_status(status: Status, action: Action, *, every_party_approved: bool = False) -> Status:
    """Return the status after the action, or raise NotAllowed if the table has no such move."""
    if every_party_approved and (status, action) in ONCE_EVERY_PARTY_APPROVED:
        return ONCE_EVERY_PARTY_APPROVED[(status, action)]
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise NotAllowed(status, action) from None


def actions_from(status: Status) -> list[Action]:
    """Return the actions the table allows from a status, in the table's order."""
    return [action for (from_status, action) in TRANSITIONS if from_status == status]
