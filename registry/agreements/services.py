"""Use cases that move an agreement through its workflow: submit, approve, review, amend, end.

Each takes the agreement's lock, asks the workflow once whether the actor may take the
action now and to what status (workflow.decide: the table, the policy and the guard), changes
the agreement and its versions, and writes one history event and one audit entry, both
through _transition(). A refused action raises before anything is written.
"""

from datetime import date

from registry.auditlog.recording import commitment, record
from registry.authorities.models import Authority
from registry.core import events
from registry.core.actors import Actor
from registry.core.clock import today
from registry.core.db import utcnow
from registry.core.errors import Conflict, ValidationFailed
from registry.extensions import db
from registry.users.roles import Role

from . import content, policies, rules, workflow
from .drafting import copy_version
from .events import AgreementMoved
from .locking import count_change, lock
from .models import Agreement, AgreementEvent, AgreementVersion, Approval, VersionState
from .statuses import Action, Status
from .workflow import Move

REASON_REQUIRED = "Give a reason: the other parties will see it"


def _party_codes(agreement: Agreement) -> list[str]:
    return sorted(authority.code for authority in policies.involved_authorities(agreement))


def _transition(actor: Actor, agreement: Agreement, move: Move, *, version: AgreementVersion | None,
                authority: Authority | None = None, reason: str | None = None, data: dict | None = None) -> AgreementEvent:
    """Write the history event and the audit entry for a move already applied."""
    action, from_status, to_status = move.action, move.from_status.value, move.to_status.value
    count_change(agreement)
    logged = {
        "from": from_status,
        "to": to_status,
        "version": version.number if version is not None else None,
        "content_hash": version.content_hash if version is not None else None,
        **({"reason_sha256": commitment(reason)} if reason else {}),
        **(data or {}),
    }
    audit_index = record(
        actor,
        f"agreement.{action.value}",
        "agreement",
        agreement.reference,
        logged,
        authorities=_party_codes(agreement),
        acting_for=authority,
    )
    event = AgreementEvent(
        agreement=agreement,
        version_id=version.id if version is not None else None,
        action=action.value,
        from_status=from_status,
        to_status=to_status,
        actor_id=getattr(actor, "id", None),
        authority_id=authority.id if authority is not None else None,
        reason=reason,
        audit_index=audit_index,
    )
    db.session.add(event)
    db.session.flush()
    events.emit(AgreementMoved(actor, agreement, move, version, authority, reason, event))
    return event


def _require_reason(reason: str | None) -> str:
    if not reason or not reason.strip():
        raise ValidationFailed.single("reason", REASON_REQUIRED)
    return reason.strip()


def submit(actor: Actor, agreement: Agreement, *, seen_lock_version: int | None = None) -> AgreementVersion:
    """Freeze the draft as the next numbered version, with its content hash, and propose it to the parties."""
    agreement = lock(agreement, seen_lock_version)
    move = workflow.decide(actor, agreement, Action.SUBMIT)
    draft = agreement.pending_version
    problems = rules.submission_problems(draft)
    if problems:
        raise ValidationFailed(problems, "The agreement cannot be submitted yet.")
    numbers = [v.number for v in agreement.versions if v.number is not None]
    draft.number = max(numbers, default=0) + 1
    document = content.version_document(draft)
    canonical = content.canonical(document)
    draft.content = canonical.decode("utf-8")
    draft.content_hash = content.content_hash(canonical)
    draft.submitted_by_id = actor.id
    draft.submitted_at = utcnow()
    draft.state = move.to_status.value
    _set_status(agreement, move)
    db.session.flush()
    _transition(actor, agreement, move, version=draft, authority=agreement.lead_authority)
    return draft


def _set_status(agreement: Agreement, move: Move) -> None:
    """Give the agreement the move's status, unless the move was an amendment's (the agreement stays in force)."""
    if not move.on_amendment:
        agreement.status = move.to_status.value


def approve(actor: Actor, agreement: Agreement, authority: Authority | None, *, content_hash: str,
            seen_lock_version: int | None = None) -> Approval:
    """Approve the proposed version for one party, for exactly the content hash the approver saw.

    With no authority named, it is the one party the actor may approve for now; naming one
    is needed only when there are several.
    """
    agreement = lock(agreement, seen_lock_version)
    version = agreement.pending_version
    if authority is None and version is not None and version.state == VersionState.PROPOSED:
        authority = _approving_for(actor, version)
    move = workflow.decide(actor, agreement, Action.APPROVE, acting_for=authority)
    if content_hash != version.content_hash:
        raise Conflict(
            f"Version {version.number} is not the version you were shown: reload the agreement and read it again.",
            content_hash=version.content_hash,
        )
    approval = Approval(version=version, authority=authority, approver_id=actor.id, content_hash=version.content_hash)
    db.session.add(approval)
    db.session.flush()
    everyone = move.to_status == Status.APPROVED
    if everyone:
        _approved(agreement, version)
    _transition(actor, agreement, move, version=version, authority=authority,
                data={"approved_for": authority.code, "every_party_approved": everyone})
    return approval


def _approving_for(actor: Actor, version: AgreementVersion) -> Authority:
    """Return the one party the actor may approve the version for, or the party whose refusal explains why not."""
    choices = policies.approvable_for(actor, version)
    if len(choices) > 1:
        raise ValidationFailed.single("authority_code", "You may approve for more than one party: choose the one you approve for")
    if choices:
        return choices[0]
    # Nothing to approve for: the policy check that follows says why (they submitted it, or are no approver).
    parties = [party.authority for party in version.parties]
    return next(iter(policies.authorities_for(actor, parties, Role.APPROVER)), version.agreement.lead_authority)


def _approved(agreement: Agreement, version: AgreementVersion) -> None:
    """Put a fully approved version where it belongs: waiting to start, or in force at once (an amendment)."""
    previous = agreement.current_version
    if previous is None:
        version.state = VersionState.APPROVED.value
        agreement.status = Status.APPROVED.value
        return
    previous.state = VersionState.SUPERSEDED.value
    db.session.flush()  # one version in force at a time: the old one steps down first
    version.state = VersionState.CURRENT.value
    agreement.current_version = version
    agreement.review_due = version.review_date


def request_changes(actor: Actor, agreement: Agreement, *, reason: str | None, seen_lock_version: int | None = None) -> AgreementVersion:
    """Send the proposal back: its approvals lapse and a new draft, copied from it, is opened."""
    reason = _require_reason(reason)
    agreement = lock(agreement, seen_lock_version)
    move = workflow.decide(actor, agreement, Action.REQUEST_CHANGES)
    version = agreement.pending_version
    acting_for = next(iter(policies.authorities_for(actor, [p.authority for p in version.parties], Role.APPROVER)))
    version.state = VersionState.CHANGES_REQUESTED.value
    db.session.flush()
    draft = copy_version(version, actor)
    agreement.latest_version = draft
    _set_status(agreement, move)
    db.session.flush()
    _transition(actor, agreement, move, version=version, authority=acting_for, reason=reason)
    return draft


def withdraw(actor: Actor, agreement: Agreement, *, reason: str | None = None, seen_lock_version: int | None = None) -> None:
    """Withdraw the proposal; a new agreement ends, an amendment is dropped and the agreement stays in force."""
    agreement = lock(agreement, seen_lock_version)
    move = workflow.decide(actor, agreement, Action.WITHDRAW)
    version = agreement.pending_version
    version.state = VersionState.WITHDRAWN.value
    _set_status(agreement, move)
    db.session.flush()
    _transition(actor, agreement, move, version=version, authority=agreement.lead_authority,
                reason=reason.strip() if reason else None)


def _simple(actor: Actor, agreement: Agreement, move: Move, *, reason: str | None = None,
            authority: Authority | None = None, data: dict | None = None) -> Agreement:
    """Apply a decided lifecycle move that changes only the agreement's status."""
    _set_status(agreement, move)
    pending = agreement.pending_version
    if move.to_status in workflow.FINAL and pending is not None:
        _drop_amendment(agreement, pending)
    db.session.flush()
    _transition(actor, agreement, move, version=agreement.current_version, authority=authority, reason=reason, data=data)
    return agreement


def _drop_amendment(agreement: Agreement, pending: AgreementVersion) -> None:
    """End an amendment in progress along with the agreement: a proposal is withdrawn, a draft discarded."""
    if pending.is_frozen:
        pending.state = VersionState.WITHDRAWN.value
        return
    # A draft was never submitted, so nothing anyone approved is lost; its edits stay in the log.
    agreement.latest_version = agreement.current_version
    db.session.flush()
    agreement.versions.remove(pending)  # an orphan, deleted: and the agreement no longer lists it


def _acting_approver_authority(actor: Actor, agreement: Agreement) -> Authority | None:
    authorities = [p.authority for p in agreement.current_version.parties] if agreement.current_version else []
    return next(iter(policies.authorities_for(actor, authorities, Role.APPROVER)), None)


def start(actor: Actor, agreement: Agreement) -> Agreement:
    """Put an approved agreement in force on its start date (the scheduled job)."""
    agreement = lock(agreement)
    move = workflow.decide(actor, agreement, Action.START)
    version = agreement.latest_version
    if version.start_date is None or version.start_date > today():
        raise ValidationFailed.single("start_date", "The agreement's start date has not come yet")
    version.state = VersionState.CURRENT.value
    agreement.current_version = version
    agreement.review_due = version.review_date
    _set_status(agreement, move)
    db.session.flush()
    _transition(actor, agreement, move, version=version)
    return agreement


def start_review(actor: Actor, agreement: Agreement, *, seen_lock_version: int | None = None) -> Agreement:
    """Begin a review: because it is due (the scheduled job) or because a party asks."""
    agreement = lock(agreement, seen_lock_version)
    move = workflow.decide(actor, agreement, Action.START_REVIEW)
    return _simple(actor, agreement, move, authority=_acting_party(actor, agreement))


def _acting_party(actor: Actor, agreement: Agreement) -> Authority | None:
    authorities = [p.authority for p in agreement.current_version.parties] if agreement.current_version else []
    return next(iter(policies.authorities_for(actor, authorities, Role.CONTRIBUTOR)), None)


def complete_review(actor: Actor, agreement: Agreement, *, next_review: date, seen_lock_version: int | None = None) -> Agreement:
    """Finish a review: the agreement continues, with the next review date."""
    version = agreement.current_version
    end = version.end_date if version else None
    if next_review <= today():
        raise ValidationFailed.single("next_review", "The next review date must be in the future")
    if end is not None and next_review > end:
        raise ValidationFailed.single("next_review", "The next review date must be on or before the end date")
    agreement = lock(agreement, seen_lock_version)
    move = workflow.decide(actor, agreement, Action.COMPLETE_REVIEW)
    agreement.review_due = next_review  # before the move is recorded, so that whoever hears of it reads the new date
    return _simple(actor, agreement, move, authority=agreement.lead_authority, data={"next_review": next_review.isoformat()})


def amend(actor: Actor, agreement: Agreement, *, seen_lock_version: int | None = None) -> AgreementVersion:
    """Start an amendment: a new draft copied from the version in force, which stays in force meanwhile."""
    agreement = lock(agreement, seen_lock_version)
    move = workflow.decide(actor, agreement, Action.AMEND)
    draft = copy_version(agreement.current_version, actor)
    agreement.latest_version = draft
    db.session.flush()
    _transition(actor, agreement, move, version=agreement.current_version, authority=_acting_party(actor, agreement),
                data={"draft": draft.id})
    return draft


def suspend(actor: Actor, agreement: Agreement, *, reason: str | None, seen_lock_version: int | None = None) -> Agreement:
    """Suspend the sharing, with a reason."""
    reason = _require_reason(reason)
    agreement = lock(agreement, seen_lock_version)
    move = workflow.decide(actor, agreement, Action.SUSPEND)
    agreement = _simple(actor, agreement, move, reason=reason, authority=_acting_approver_authority(actor, agreement))
    agreement.suspended_by_id = actor.id
    db.session.flush()
    return agreement


def resume(actor: Actor, agreement: Agreement, *, seen_lock_version: int | None = None) -> Agreement:
    """Resume a suspended agreement: at once by whoever suspended it, otherwise once every party agrees."""
    agreement = lock(agreement, seen_lock_version)
    authority = _acting_approver_authority(actor, agreement)
    move = workflow.decide(actor, agreement, Action.RESUME, acting_for=authority)
    waiting = None
    if move.to_status == Status.ACTIVE:
        agreement.status = move.to_status.value
        agreement.suspended_by_id = None
    else:  # agreed to resume; waiting for the other parties
        parties = {p.authority_id for p in agreement.current_version.parties}
        agreed = workflow.resume_consents(agreement) | {authority.id}
        waiting = {"waiting_for": sorted(a.code for a in policies.involved_authorities(agreement) if a.id in parties - agreed)}
    db.session.flush()
    _transition(actor, agreement, move, version=agreement.current_version, authority=authority, data=waiting)
    return agreement


def terminate(actor: Actor, agreement: Agreement, *, reason: str | None, seen_lock_version: int | None = None) -> Agreement:
    """End the agreement for good, with a reason."""
    reason = _require_reason(reason)
    agreement = lock(agreement, seen_lock_version)
    move = workflow.decide(actor, agreement, Action.TERMINATE)
    return _simple(actor, agreement, move, reason=reason, authority=_acting_approver_authority(actor, agreement))


def expire(actor: Actor, agreement: Agreement) -> Agreement:
    """End an agreement whose end date has passed (the scheduled job)."""
    agreement = lock(agreement)
    move = workflow.decide(actor, agreement, Action.EXPIRE)  # only an active agreement expires, whatever its dates
    version = agreement.current_version
    if version.end_date is None or version.end_date >= today():
        raise ValidationFailed.single("end_date", "The agreement's end date has not passed")
    return _simple(actor, agreement, move)
