"""The workflow as a table, and the one answer to "may this actor do this now, and to what status?".

Each row is plain data: from a status, an action leads to the next status, if the policy
named in `who` (policies.py) allows the actor, and if the row's guard (GUARDS, below) holds;
a row whose guard does not hold gives way to the next row for the same status and action.
The approval cycle (submit, approve, request changes, withdraw) runs on a new agreement's
own status, and in the same way on an amendment's state while the agreement stays in force.

A service asks `decide(...)` once, under the agreement's lock, then does the work.
Pure Python: no Flask, no database (it reads only what the agreement already holds).
"""

from collections.abc import Callable
from dataclasses import dataclass

from registry.core.actors import Actor
from registry.core.errors import InvalidTransition, PermissionDenied

from . import policies
from .statuses import Action, Status


@dataclass(frozen=True)
class Transition:
    """One row of the table."""

    status: Status
    action: Action
    next: Status
    who: str  # the policy in policies.py, called as policy(actor, agreement, acting_for)
    guard: str | None = None  # the condition in GUARDS this row needs, else the next row applies


S, A, T = Status, Action, Transition

TABLE: tuple[Transition, ...] = (
    T(S.DRAFT, A.SUBMIT, S.PROPOSED, "can_submit"),
    # Approving keeps the agreement proposed until every party has approved this version.
    T(S.PROPOSED, A.APPROVE, S.APPROVED, "can_approve", guard="last_approval"),
    T(S.PROPOSED, A.APPROVE, S.PROPOSED, "can_approve"),
    T(S.PROPOSED, A.REQUEST_CHANGES, S.DRAFT, "can_request_changes"),
    T(S.PROPOSED, A.WITHDRAW, S.WITHDRAWN, "can_withdraw"),
    T(S.APPROVED, A.START, S.ACTIVE, "can_run_schedule"),
    T(S.ACTIVE, A.START_REVIEW, S.UNDER_REVIEW, "can_start_review"),
    T(S.UNDER_REVIEW, A.COMPLETE_REVIEW, S.ACTIVE, "can_complete_review"),
    # Amending starts a new draft version; the agreement stays as it is, in force.
    T(S.ACTIVE, A.AMEND, S.ACTIVE, "can_amend"),
    T(S.UNDER_REVIEW, A.AMEND, S.UNDER_REVIEW, "can_amend"),
    T(S.ACTIVE, A.SUSPEND, S.SUSPENDED, "can_suspend"),
    T(S.UNDER_REVIEW, A.SUSPEND, S.SUSPENDED, "can_suspend"),
    # Whoever suspended it resumes it at once; anyone else agrees, and it resumes when every party has.
    T(S.SUSPENDED, A.RESUME, S.ACTIVE, "can_resume", guard="resumes_now"),
    T(S.SUSPENDED, A.RESUME, S.SUSPENDED, "can_resume"),
    T(S.ACTIVE, A.TERMINATE, S.TERMINATED, "can_terminate"),
    T(S.UNDER_REVIEW, A.TERMINATE, S.TERMINATED, "can_terminate"),
    T(S.SUSPENDED, A.TERMINATE, S.TERMINATED, "can_terminate"),
    T(S.ACTIVE, A.EXPIRE, S.EXPIRED, "can_run_schedule"),
)

# The approval cycle's actions; they apply to an amendment's own state as well.
APPROVAL_CYCLE = frozenset({A.SUBMIT, A.APPROVE, A.REQUEST_CHANGES, A.WITHDRAW})

# Only the scheduled job (`flask agreements tick`) takes these, when a date comes.
DATE_DRIVEN = frozenset({A.START, A.EXPIRE})

FINAL = frozenset({S.TERMINATED, S.EXPIRED, S.WITHDRAWN})

# Who each policy lets act, in words (the README's table says the same).
WHO_MAY = {
    "can_submit": "a contributor or approver of the lead authority",
    "can_approve": "an approver of each party, for their own authority, who did not submit it",
    "can_request_changes": "an approver of any party, with a reason",
    "can_withdraw": "a contributor or approver of the lead authority",
    "can_run_schedule": "the scheduled job, when the date comes",
    "can_start_review": "the scheduled job when the review is due, or any party",
    "can_complete_review": "an approver of the lead authority, with the next review date",
    "can_amend": "any party",
    "can_suspend": "an approver of any party, with a reason",
    "can_resume": "an approver of any party",
    "can_terminate": "an approver of any party, with a reason",
}

# What refusing each policy tells the actor.
REFUSALS = {
    "can_submit": "Only contributors and approvers of the lead authority can submit the agreement.",
    "can_request_changes": "Only approvers of the agreement's parties can ask for changes.",
    "can_withdraw": "Only the lead authority can withdraw the proposal.",
    "can_run_schedule": "Only the scheduled job does that, when the date comes.",
    "can_start_review": "Only the agreement's parties can start a review.",
    "can_complete_review": "Only an approver of the lead authority can complete a review.",
    "can_amend": "Only the agreement's parties can amend it.",
    "can_suspend": "Only approvers of the agreement's parties can suspend it.",
    "can_resume": "Only approvers of the agreement's parties can resume it.",
    "can_terminate": "Only approvers of the agreement's parties can terminate it.",
}


def _last_approval(actor: Actor, agreement, acting_for) -> bool:
    """This approval is the last one the version needs."""
    version = agreement.pending_version
    approved = {approval.authority_id for approval in version.approvals} | {acting_for.id}
    return {party.authority_id for party in version.parties} <= approved


def resume_consents(agreement) -> set[int]:
    """Return the authorities that agreed to resume since the agreement was last suspended."""
    events = agreement.events
    last_suspension = max((e.id for e in events if e.action == Action.SUSPEND), default=0)
    return {e.authority_id for e in events if e.action == Action.RESUME and e.id > last_suspension and e.authority_id}


def _resumes_now(actor: Actor, agreement, acting_for) -> bool:
    """Whoever suspended it is resuming it, or every other party has already agreed to."""
    parties = {party.authority_id for party in agreement.current_version.parties}
    return actor.id == agreement.suspended_by_id or parties <= resume_consents(agreement) | {acting_for.id}


GUARDS: dict[str, Callable[..., bool]] = {"last_approval": _last_approval, "resumes_now": _resumes_now}

# What the README's table says of each guard.
GUARD_WORDS = {
    "last_approval": "the last party approves",
    "resumes_now": "whoever suspended it resumes it, or the last party agrees",
}


@dataclass(frozen=True)
class Move:
    """The answer: the action is allowed, and moves the agreement (or its amendment) from one status to the next."""

    action: Action
    from_status: Status
    to_status: Status
    on_amendment: bool  # the move applies to the amendment's state; the agreement's own status stays


def rows(status: Status, action: Action) -> list[Transition]:
    return [row for row in TABLE if row.status == status and row.action == action]


def _on_amendment(agreement, action: Action) -> bool:
    return action in APPROVAL_CYCLE and agreement.current_version is not None and agreement.pending_version is not None


def status_for(agreement, action: Action) -> Status:
    """Return the status the action applies to: the agreement's, or, in the approval cycle, its amendment's state."""
    if _on_amendment(agreement, action):
        return Status(agreement.pending_version.state)
    return Status(agreement.status)


def _actions_from(status: Status) -> list[Action]:
    return list(dict.fromkeys(row.action for row in TABLE if row.status == status))


def table_actions(agreement) -> list[Action]:
    """Return the actions the table allows now, whoever asks."""
    actions = _actions_from(Status(agreement.status))
    if agreement.current_version is not None:
        # While in force, the approval cycle applies to an amendment, if there is one.
        actions = [a for a in actions if a not in APPROVAL_CYCLE]
        pending = agreement.pending_version
        if pending is not None and Status(agreement.status) not in FINAL:
            actions = [a for a in actions if a != A.AMEND] + _actions_from(Status(pending.state))
    return actions


def actions_for(actor: Actor, agreement) -> list[Action]:
    """Return the actions this actor may take on the agreement now: allowed by the table and by policy."""
    return [
        action for action in table_actions(agreement)
        if _policy(rows(status_for(agreement, action), action)[0].who)(actor, agreement, None)
    ]


def refusal(agreement, action: Action) -> InvalidTransition:
    """Return the refusal of an action the table does not allow now, with the status and what it allows."""
    return InvalidTransition(
        f"You cannot {action.phrase} an agreement that is {status_for(agreement, action).label.lower()}.",
        status=agreement.status,
        allowed_actions=[a.value for a in table_actions(agreement)],
    )


def decide(actor: Actor, agreement, action: Action, *, acting_for=None) -> Move:
    """Answer whether the actor may take the action now (for `acting_for`, where a party acts), and to what status.

    Refuses with InvalidTransition (not in the table now) or PermissionDenied (not this actor).
    """
    if action not in table_actions(agreement):
        raise refusal(agreement, action)
    status = status_for(agreement, action)
    candidates = rows(status, action)
    who = candidates[0].who
    if not _policy(who)(actor, agreement, acting_for):
        raise PermissionDenied(policies.approval_refusal(actor, agreement, acting_for) if who == "can_approve" else REFUSALS[who])
    chosen = next(row for row in candidates if row.guard is None or GUARDS[row.guard](actor, agreement, acting_for))
    return Move(action, status, chosen.next, _on_amendment(agreement, action))


def _policy(name: str) -> Callable[..., bool]:
    return getattr(policies, name)
