"""What an agreement's pages tell people happened and what to do next, read from an agreement already loaded.

The standing request for changes (shown until the draft is submitted again) and the
version an approver last approved (so the approve page can show what changed since).
"""

from registry.authorities.models import Authority

from .models import Agreement, AgreementEvent, AgreementVersion, VersionState
from .statuses import Action

# Steps after which a request for changes no longer describes the draft: it was submitted
# again, or the draft is a new amendment started after that request was dealt with.
_ANSWERED_BY = frozenset({Action.SUBMIT.value, Action.AMEND.value})


def standing_change_request(agreement: Agreement) -> AgreementEvent | None:
    """Return the request for changes that the draft answers, until it is submitted again; else None."""
    draft = agreement.pending_version
    if draft is None or draft.state != VersionState.DRAFT.value:
        return None
    for event in reversed(agreement.events):
        if event.action in _ANSWERED_BY:
            return None
        if event.action == Action.REQUEST_CHANGES.value:
            return event
    return None


def last_approved_version(agreement: Agreement, authorities: list[Authority], before: AgreementVersion) -> AgreementVersion | None:
    """Return the newest version before `before` that one of these authorities approved, or None."""
    ids = {authority.id for authority in authorities}
    approved = [
        version for version in agreement.versions
        if version.number is not None and version.number < before.number
        and any(approval.authority_id in ids for approval in version.approvals)
    ]
    return max(approved, key=lambda version: version.number, default=None)
