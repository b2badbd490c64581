"""Who hears of each move of an agreement through its workflow, and in what words.

| move | who is told | what the message carries |
|---|---|---|
| submitted | approvers of every party still to approve | who asks, version and hash, the approve page, what changed |
| approved for one party | the submitter and the lead's contributors | who approved for which authority, who is still to approve |
| approved by the last party | approvers and contributors of every party | start and review dates, what each party owes |
| changes requested | the submitter and the lead's contributors | the reason, in full |
| withdrawn, suspended, resumed, terminated, expired | approvers and contributors of every party | who did it, the reason |
| review started, review completed | every party's approvers | the review date, the next one |

Nobody is told of their own action, and each message says only what its recipients can
read on the agreement's page (they are its parties). Moves not in the table (start,
amend) tell no one: an amendment is heard of when it is submitted.
"""

from collections.abc import Callable

from registry.agreements.events import AgreementMoved
from registry.agreements.models import OBLIGATION_TYPES
from registry.agreements.statuses import Action, Status
from registry.core.links import path_for
from registry.core.templating import format_date
from registry.users.roles import Role

from .delivery import Message, deliver
from .queries import members_of
from .wording import acting, listed, person

# Why each recipient hears, said at the foot of the message.
FOR_APPROVERS = "You get this because you approve for a party to this agreement."
FOR_SUBMITTER_AND_LEAD = "You get this because you submitted this version, or your authority leads the agreement."
FOR_PARTIES = "You get this because you contribute to or approve for a party to this agreement."


def _message(event: AgreementMoved, kind: str, why: str, *, title: str, paragraphs, link: str | None = None,
             action: str = "See the agreement", details=()) -> Message:
    """Return the message about one move: by default it links to the agreement's page."""
    return Message(kind=kind, key=_key(event), title=title, paragraphs=tuple(paragraphs), details=tuple(details),
                   link=link or _show(event), action=action, agreement_reference=event.agreement.reference, why=why)



def _key(event: AgreementMoved) -> str:
    return f"agreement.{event.move.action.value}:{event.agreement.reference}:{event.history.id}"


def _title(event: AgreementMoved) -> str:
    version = event.version or event.agreement.shown_version
    return version.title


def _about(event: AgreementMoved) -> str:
    """Return the agreement as a sentence names it: "the agreement DSA-2026-0001, Supporting families"."""
    return f"the agreement {event.agreement.reference}, {_title(event)}"


def _authorities(version) -> list:
    return [party.authority for party in version.parties] if version is not None else []


def _people(authorities, role: Role, kind: str) -> list:
    """Return each active member holding at least the role for any of the authorities, once, with their choice for the kind."""
    found = {}
    for users in members_of([a.id for a in authorities], role, kind).values():
        for user in users:
            found.setdefault(user.id, user)
    return list(found.values())


def _show(event: AgreementMoved) -> str:
    return path_for("agreements.show", reference=event.agreement.reference)


def _submitter_and_lead(event: AgreementMoved, kind: str) -> list:
    """Return whoever submitted the version and the lead authority's contributors and approvers."""
    people = _people([event.agreement.lead_authority], Role.CONTRIBUTOR, kind)
    submitter = event.version.submitted_by if event.version is not None else None
    if submitter is not None and submitter.id not in {user.id for user in people}:
        people.append(submitter)
    return people


def _last_approved(agreement, authority_id: int, before: int) -> int | None:
    """Return the newest version number before `before` that the authority approved, if any."""
    numbers = [
        version.number for version in agreement.versions
        if version.number is not None and version.number < before
        and any(approval.authority_id == authority_id for approval in version.approvals)
    ]
    return max(numbers, default=None)


def _submitted(event: AgreementMoved) -> None:
    agreement, version = event.agreement, event.version
    approved = {approval.authority_id for approval in version.approvals}
    waiting = [authority for authority in _authorities(version) if authority.id not in approved]
    approvers = members_of([authority.id for authority in waiting], Role.APPROVER, "proposals")
    # Each approver hears once, with a link to what changed since the version their authority
    # last approved (else since the version before): grouped by that version.
    groups: dict[int | None, list] = {}
    told: set[int] = set()
    for authority in waiting:
        base = _last_approved(agreement, authority.id, version.number) or (version.number - 1 or None)
        for user in approvers.get(authority.id, ()):
            if user.id not in told:
                told.add(user.id)
                groups.setdefault(base, []).append(user)
    names = [authority.name for authority in waiting]
    for base, people in groups.items():
        links = ()
        if base is not None:
            links = ((f"See what changed since version {base}",
                      path_for("agreements.compare", reference=agreement.reference, **{"from": base, "to": version.number})),)
        message = Message(
            kind="proposals",
            key=f"{_key(event)}:since-{base or 0}",
            title=f"Approval needed: {agreement.reference} {version.title}, version {version.number}",
            paragraphs=(
                f"{acting(event.actor, agreement.lead_authority)} asks you to approve version {version.number} of {_about(event)}.",
                f"Version {version.number} has the content hash {version.content_hash}. "
                "Approving it approves exactly that text: any later change makes a new version.",
            ),
            details=(("Lead authority", agreement.lead_authority.name), ("Still to approve", listed(names))),
            link=path_for("agreements.approve_form", reference=agreement.reference),
            action=f"Read and approve version {version.number}",
            links=links,
            agreement_reference=agreement.reference,
            why=FOR_APPROVERS,
        )
        deliver(message, people, leave_out=event.actor.id)


def _approved_for_one(event: AgreementMoved) -> None:
    agreement, version = event.agreement, event.version
    approved = {approval.authority_id for approval in version.approvals}
    still = [authority.name for authority in _authorities(version) if authority.id not in approved]
    message = _message(
        event, "approvals", FOR_SUBMITTER_AND_LEAD,
        title=f"{event.authority.name} approved {agreement.reference} version {version.number}",
        paragraphs=(
            f"{acting(event.actor, event.authority)} approved version {version.number} of {_about(event)}.",
            f"Still to approve: {listed(still)}.",
        ),
    )
    deliver(message, _submitter_and_lead(event, message.kind), leave_out=event.actor.id)


def falls_due(obligation) -> str:
    """Return when an obligation falls due, in words."""
    if obligation.due_kind == "date":
        return f"by {format_date(obligation.due_date)}"
    if obligation.due_kind == "recurring":
        months = obligation.every_months
        return f"every {months} month{'s' if months != 1 else ''} from {format_date(obligation.due_date)}"
    hours = obligation.within_hours
    return f"within {hours} hour{'s' if hours != 1 else ''} of {obligation.event}"


def _owes(version) -> list[str]:
    lines = []
    for obligation in version.obligations:
        owed_to = obligation.owed_to.authority.name if obligation.owed_to is not None else "every other party"
        what = OBLIGATION_TYPES.get(obligation.type, obligation.type)
        description = f": {obligation.description}" if obligation.description else ""
        lines.append(f"- {obligation.owed_by.authority.name} owes {owed_to}: {what}{description} ({falls_due(obligation)})")
    return lines


def _approved_by_all(event: AgreementMoved) -> None:
    agreement, version = event.agreement, event.version
    if agreement.current_version is version:
        starts = "It is in force now, in place of the version before it."
    else:
        starts = f"It starts on {format_date(version.start_date)}." if version.start_date else "It has no start date yet."
    paragraphs = [
        f"{acting(event.actor, event.authority)} gave the last approval: every party has now approved "
        f"version {version.number} of {_about(event)}.",
        starts,
    ]
    if version.review_date:
        paragraphs.append(f"Its review is due on {format_date(version.review_date)}.")
    owes = _owes(version)
    paragraphs.append("What each party now owes:\n" + "\n".join(owes) if owes else "It lists no obligations.")
    details = [("Start date", format_date(version.start_date) or "Not set"), ("Review date", format_date(version.review_date) or "Not set")]
    if version.end_date:
        details.append(("End date", format_date(version.end_date)))
    message = _message(
        event, "in_force", FOR_PARTIES,
        title=f"Approved by every party: {agreement.reference} {version.title}",
        paragraphs=tuple(paragraphs),
        details=tuple(details),
    )
    deliver(message, _people(_authorities(version), Role.CONTRIBUTOR, message.kind), leave_out=event.actor.id)


def _approved(event: AgreementMoved) -> None:
    if event.move.to_status == Status.APPROVED:
        _approved_by_all(event)
    else:
        _approved_for_one(event)


def _changes_requested(event: AgreementMoved) -> None:
    agreement, version = event.agreement, event.version
    message = _message(
        event, "changes_requested", FOR_SUBMITTER_AND_LEAD,
        title=f"Changes asked for: {agreement.reference} version {version.number}",
        paragraphs=(
            f"{acting(event.actor, event.authority)} asked for changes to version {version.number} of {_about(event)}. "
            f"Its approvals no longer count, and a new draft is open to edit.",
            f"Their reason:\n{event.reason}",
        ),
        link=path_for("agreement_drafts.tasks", reference=agreement.reference),
        action="Edit the draft",
    )
    deliver(message, _submitter_and_lead(event, message.kind), leave_out=event.actor.id)


# What each ending (or pause) did, as "<who> … the agreement": past tense, and the title's word.
_ENDINGS = {
    Action.WITHDRAW: ("withdrew the proposal of", "Withdrawn"),
    Action.SUSPEND: ("suspended", "Suspended"),
    Action.RESUME: ("resumed", "Resumed"),
    Action.TERMINATE: ("terminated", "Terminated"),
    Action.EXPIRE: ("", "Expired"),
}


def _ended(event: AgreementMoved) -> None:
    agreement = event.agreement
    did, word = _ENDINGS[event.move.action]
    if event.move.action == Action.EXPIRE:
        ended_on = agreement.current_version.end_date if agreement.current_version else None
        opening = f"{_about(event).capitalize()} has expired: its end date, {format_date(ended_on)}, has passed."
    elif event.move.action == Action.RESUME and event.move.to_status == Status.SUSPENDED:
        word = "Resuming agreed"
        opening = (f"{acting(event.actor, event.authority)} agreed to resume {_about(event)}. "
                   "It resumes once every party has agreed.")
    else:
        opening = f"{acting(event.actor, event.authority)} {did} {_about(event)}."
    paragraphs = [opening]
    if event.reason:
        paragraphs.append(f"Their reason:\n{event.reason}")
    version = event.version or agreement.pending_version
    authorities = {a.id: a for a in _authorities(agreement.current_version) + _authorities(version)}
    message = _message(
        event, "endings", FOR_PARTIES,
        title=f"{word}: {agreement.reference} {_title(event)}",
        paragraphs=tuple(paragraphs),
    )
    deliver(message, _people(authorities.values(), Role.CONTRIBUTOR, message.kind), leave_out=event.actor.id)


def _reviewed(event: AgreementMoved) -> None:
    agreement = event.agreement
    if event.move.action == Action.START_REVIEW:
        word = "Review started"
        due = format_date(agreement.review_due)
        opening = (f"{person(event.actor)} started the review of {_about(event)}." if event.actor.id is not None
                   else f"The review of {_about(event)} was due on {due}, so it has started.")
        closing = "An approver for the lead authority completes it, with the date of the next review."
    else:
        word = "Review completed"
        opening = f"{acting(event.actor, event.authority)} completed the review of {_about(event)}: it continues."
        closing = f"The next review is due on {format_date(agreement.review_due)}."
    message = _message(
        event, "reviews", FOR_APPROVERS,
        title=f"{word}: {agreement.reference} {_title(event)}",
        paragraphs=(opening, closing),
    )
    deliver(message, _people(_authorities(agreement.current_version), Role.APPROVER, message.kind), leave_out=event.actor.id)


TELLERS: dict[Action, Callable[[AgreementMoved], None]] = {
    Action.SUBMIT: _submitted,
    Action.APPROVE: _approved,
    Action.REQUEST_CHANGES: _changes_requested,
    Action.WITHDRAW: _ended,
    Action.SUSPEND: _ended,
    Action.RESUME: _ended,
    Action.TERMINATE: _ended,
    Action.EXPIRE: _ended,
    Action.START_REVIEW: _reviewed,
    Action.COMPLETE_REVIEW: _reviewed,
}


def tell_of_move(event: AgreementMoved) -> None:
    """Tell the people a workflow move concerns, as the table above says; moves not in it tell no one."""
    tell = TELLERS.get(event.move.action)
    if tell is not None:
        tell(event)
