"""Who may do what with agreements. Each answer depends on the actor's role for the parties' authorities.

The policies the workflow table names (workflow.py, `who`) all take (actor, agreement, acting_for):
`acting_for` is the party an approver acts for, where that matters (approving), else None.
"""

from registry.authorities.models import Authority
from registry.core.actors import Actor
from registry.users.actors import SystemActor
from registry.users.roles import Role

from .models import Agreement, AgreementVersion


def _authorities(version: AgreementVersion | None) -> list[Authority]:
    return [party.authority for party in version.parties] if version is not None else []


def involved_authorities(agreement: Agreement) -> list[Authority]:
    """Return the lead and every authority that is a party to any version."""
    seen = {agreement.lead_authority.id: agreement.lead_authority}
    for version in agreement.versions:
        for authority in _authorities(version):
            seen.setdefault(authority.id, authority)
    return list(seen.values())


def _holds(actor: Actor, authorities, role: Role) -> bool:
    return any(actor.has_role(authority, role) for authority in authorities)


def can_view(actor: Actor, agreement: Agreement) -> bool:
    """Auditors see every agreement; members of any authority involved see it too."""
    return actor.is_auditor or _holds(actor, involved_authorities(agreement), Role.VIEWER)


def can_create(actor: Actor, lead_authority: Authority) -> bool:
    """Contributors and approvers start agreements led by their own authority."""
    return actor.has_role(lead_authority, Role.CONTRIBUTOR)


def can_edit_draft(actor: Actor, agreement: Agreement) -> bool:
    """Contributors and approvers of the lead or of any party in the draft edit it; all parties approve later."""
    draft = agreement.pending_version
    if draft is None or draft.is_frozen:
        return False
    return _holds(actor, [agreement.lead_authority, *_authorities(draft)], Role.CONTRIBUTOR)


def can_submit(actor: Actor, agreement: Agreement, acting_for: Authority | None = None) -> bool:
    """Contributors and approvers of the lead authority submit the draft for approval."""
    return actor.has_role(agreement.lead_authority, Role.CONTRIBUTOR)


def can_withdraw(actor: Actor, agreement: Agreement, acting_for: Authority | None = None) -> bool:
    """The lead authority withdraws a proposal."""
    return actor.has_role(agreement.lead_authority, Role.CONTRIBUTOR)


def approvable_for(actor: Actor, version: AgreementVersion) -> list[Authority]:
    """Return the parties the actor may approve this version for, now.

    Separation of duties: whoever submitted a version does not approve it for the same
    authority; another approver there must.
    """
    approved = {approval.authority_id for approval in version.approvals}
    return [
        authority
        for authority in _authorities(version)
        if authority.id not in approved
        and actor.has_role(authority, Role.APPROVER)
        and not (version.submitted_by_id is not None and version.submitted_by_id == actor.id)
    ]


def can_approve(actor: Actor, agreement: Agreement, acting_for: Authority | None = None) -> bool:
    """An approver of a party approves the proposed version for that party (any, if none is named), once, unless they submitted it."""
    version = agreement.pending_version
    choices = approvable_for(actor, version) if version is not None else []
    return acting_for in choices if acting_for is not None else bool(choices)


def approval_refusal(actor: Actor, agreement: Agreement, acting_for: Authority | None) -> str:
    """Say why the actor cannot approve for the party."""
    version = agreement.pending_version
    name = acting_for.name if acting_for is not None else "any party"
    if acting_for is not None and version.submitted_by_id == actor.id and actor.has_role(acting_for, Role.APPROVER):
        return f"You submitted version {version.number}, so another approver must approve it for {name}."
    return f"You cannot approve this agreement for {name}."


def can_request_changes(actor: Actor, agreement: Agreement, acting_for: Authority | None = None) -> bool:
    """An approver of any party sends a proposal back for changes."""
    return _holds(actor, _authorities(agreement.pending_version), Role.APPROVER)


def can_start_review(actor: Actor, agreement: Agreement, acting_for: Authority | None = None) -> bool:
    """The scheduled job, or any party, starts a review."""
    return isinstance(actor, SystemActor) or _holds(actor, _authorities(agreement.current_version), Role.CONTRIBUTOR)


def can_complete_review(actor: Actor, agreement: Agreement, acting_for: Authority | None = None) -> bool:
    """An approver of the lead authority completes a review."""
    return actor.has_role(agreement.lead_authority, Role.APPROVER)


def can_amend(actor: Actor, agreement: Agreement, acting_for: Authority | None = None) -> bool:
    """Any party starts an amendment."""
    return _holds(actor, _authorities(agreement.current_version), Role.CONTRIBUTOR)


def can_suspend(actor: Actor, agreement: Agreement, acting_for: Authority | None = None) -> bool:
    """An approver of any party suspends the agreement."""
    return _holds(actor, _authorities(agreement.current_version), Role.APPROVER)


def can_resume(actor: Actor, agreement: Agreement, acting_for: Authority | None = None) -> bool:
    """An approver of any party resumes, or agrees to resume, the agreement."""
    return _holds(actor, _authorities(agreement.current_version), Role.APPROVER)


def can_terminate(actor: Actor, agreement: Agreement, acting_for: Authority | None = None) -> bool:
    """An approver of any party terminates the agreement."""
    return _holds(actor, _authorities(agreement.current_version), Role.APPROVER)


def can_run_schedule(actor: Actor, agreement: Agreement | None = None, acting_for: Authority | None = None) -> bool:
    """Only the scheduled job applies date-driven transitions (start, expire)."""
    return isinstance(actor, SystemActor)


def authorities_for(actor: Actor, candidates: list[Authority], role: Role) -> list[Authority]:
    """Return the candidate authorities where the actor holds at least the role."""
    return [authority for authority in candidates if actor.has_role(authority, role)]
