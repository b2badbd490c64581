"""The statuses an agreement can be in, the actions that move it, and the words for every status
an agreement or one of its versions can be in: one table for every page, download, API answer
and email, so that no two places call the same state differently.

Pure Python: no Flask, no database. The moves between statuses are in workflow.py.
"""

from enum import StrEnum

# Agreement statuses (Status, below) and version states (models.VersionState) share one
# table: where they share a name they mean the same thing.
WORDS = {
    "draft": "Draft",
    "proposed": "Proposed",
    "changes_requested": "Changes requested",
    "approved": "Approved, waiting to start",
    "active": "Active",
    "current": "In force",
    "under_review": "Under review",
    "suspended": "Suspended",
    "superseded": "Superseded",
    "terminated": "Terminated",
    "expired": "Expired",
    "withdrawn": "Withdrawn",
}

# GOV.UK tag colours, the same for a status wherever it is shown.
COLOURS = {
    "draft": "govuk-tag--grey",
    "proposed": "govuk-tag--yellow",
    "changes_requested": "govuk-tag--orange",
    "approved": "govuk-tag--turquoise",
    "active": "govuk-tag--green",
    "current": "govuk-tag--green",
    "under_review": "govuk-tag--blue",
    "suspended": "govuk-tag--orange",
    "superseded": "govuk-tag--grey",
    "terminated": "govuk-tag--red",
    "expired": "govuk-tag--grey",
    "withdrawn": "govuk-tag--grey",
}

# What a version that was in force has become when its agreement has stopped or ended.
_IN_FORCE_VERSION_BECOMES = {"suspended": "suspended", "terminated": "terminated", "expired": "expired"}


def word(status: str) -> str:
    """Return the word people read for a status or version state."""
    return WORDS.get(status, status.replace("_", " ").capitalize())


def colour(status: str) -> str:
    """Return the GOV.UK tag class for a status or version state."""
    return COLOURS.get(status, "")


def version_status(version_state: str, agreement_status: str) -> str:
    """Return the status a version shows: the version in force of a terminated agreement is terminated, not in force."""
    if version_state == "current":
        return _IN_FORCE_VERSION_BECOMES.get(agreement_status, "current")
    return version_state


def is_in_force(agreement_status: str) -> bool:
    """Return True when an agreement's version in force binds the parties now (suspended ones included)."""
    return agreement_status in ("active", "under_review", "suspended")


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
        return word(self.value)


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
