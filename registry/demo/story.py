"""Draft each demonstration agreement and take it to its status, through the same services as everyone.

So the audit log records the demo as it would record a real month: who drafted, submitted,
approved, attested, suspended and ended each agreement, and when.
"""

from datetime import timedelta

import sqlalchemy as sa

from registry.agreements import drafting, services
from registry.agreements.models import Agreement, AgreementVersion
from registry.authorities.queries import authority_by_code
from registry.core.clock import today
from registry.extensions import db
from registry.obligations import services as obligation_services
from registry.users.actors import SCHEDULER
from registry.users.queries import user_by_email

from .agreements import AgreementSpec
from .data import approver_email, contributor_email
from .datasets import dataset_named

# The terms most demo agreements share; a spec's `terms` says where it differs.
TERMS = {
    "retention": "Kept for two years after the case closes, then securely deleted.",
    "security_measures": "Cyber Essentials Plus; transfers encrypted in transit; role-based access.",
    "rights_handling": "Each party handles requests about the data it holds, and tells the others within five working days.",
    "breach_notification_hours": 24, "onward_sharing_allowed": False, "onward_sharing_conditions": "",
    "commercial_use_allowed": False, "international_transfers": False, "international_transfer_details": "",
    "termination_arrangements": "Shared data is deleted within 30 days of termination.",
}


def _approver(code: str):
    return user_by_email(approver_email(code))


def _contributor(code: str):
    return user_by_email(contributor_email(code))


def exists(spec: AgreementSpec) -> bool:
    """Say whether the agreement was loaded already (its title is the demo's key)."""
    return db.session.scalar(sa.select(AgreementVersion.id).where(AgreementVersion.title == spec.title).limit(1)) is not None


def _draft(spec: AgreementSpec) -> Agreement:
    """Write the agreement as its lead's contributor would, section by section."""
    author, day = _contributor(spec.lead), timedelta(days=1)
    agreement = drafting.create_agreement(author, authority_by_code(spec.lead), title=spec.title, agreement_type=spec.agreement_type)
    if spec.withholding_reason:
        drafting.update_section(author, agreement, "details", {"withhold_from_register": True, "withholding_reason": spec.withholding_reason})
    drafting.update_section(author, agreement, "purpose", {
        "purpose": spec.purpose, "functions_served": spec.functions_served, "benefits": spec.benefits, "necessity": spec.necessity})
    drafting.update_section(author, agreement, "terms", {**TERMS, **spec.terms})
    start = today() + spec.start_in * day
    drafting.update_section(author, agreement, "assurance", {
        "dpia_status": "completed", "dpia_reference": f"{spec.lead}-DPIA-{agreement.id:03d}", "dpia_date": min(start, today()) - 30 * day,
        "dpo_consulted": True})
    drafting.update_section(author, agreement, "dates", {
        "start_date": start, "review_date": today() + spec.review_in * day, "review_interval_months": 12,
        "end_date": today() + spec.end_in * day if spec.end_in is not None else None})
    lead, *others = spec.parties
    drafting.update_party(author, agreement, agreement.latest_version.parties[0].id, sharing_role=lead.sharing_role,
                          controller_role=lead.controller_role, legal_bases=list(lead.legal_bases))
    for party in others:
        drafting.add_party(author, agreement, authority_by_code(party.code), sharing_role=party.sharing_role,
                           controller_role=party.controller_role, legal_bases=list(party.legal_bases))
    parties = {p.authority.code: p for p in agreement.latest_version.parties}
    for flow in spec.flows:
        dataset = dataset_named(flow.source, flow.dataset)
        drafting.add_flow(author, agreement, {
            "from_party_id": parties[flow.source].id, "to_party_id": parties[flow.target].id, "dataset_id": dataset.id,
            "data_item_ids": [item.id for item in dataset.items if flow.items is None or item.name in flow.items],
            "frequency": flow.frequency, "method": flow.method, "volume": flow.volume})
    for owed in spec.obligations:
        drafting.add_obligation(author, agreement, {
            "owed_by_party_id": parties[owed.owed_by].id, "owed_to_party_id": parties[owed.owed_to].id if owed.owed_to else None,
            "type": owed.type, "description": owed.description,
            "due_kind": "event" if owed.event else "recurring" if owed.every_months else "date",
            "due_date": today() + owed.due_in * day if owed.due_in is not None else None, "every_months": owed.every_months,
            "event": owed.event, "within_hours": owed.within_hours})
    return agreement


def _attest(spec: AgreementSpec, agreement: Agreement) -> None:
    """Have each owing party's approver attest where the spec says they have."""
    for owed in spec.obligations:
        if owed.attested:
            obligation = next(o for o in agreement.current_version.obligations
                              if o.description == owed.description and o.owed_by.authority.code == owed.owed_by)
            obligation_services.attest(_approver(owed.owed_by), obligation.id, status=owed.attested, note=owed.note)


def _reach(spec: AgreementSpec, agreement: Agreement) -> None:
    """Move the drafted agreement along the workflow until it has the spec's status."""
    if spec.status == "draft":
        return
    services.submit(_contributor(spec.lead), agreement)
    if spec.status == "changes_requested":
        services.request_changes(_approver(spec.by), agreement, reason=spec.reason)
        return
    # A proposal waits for every party, a partly approved one for those not in approved_by; the rest have every approval.
    approving = {"proposed": (), "partly_approved": spec.approved_by}.get(spec.status, [p.code for p in spec.parties])
    for code in approving:
        services.approve(_approver(code), agreement, authority_by_code(code), content_hash=agreement.latest_version.content_hash)
    if spec.status in ("proposed", "partly_approved", "approved"):
        return
    services.start(SCHEDULER, agreement)
    _attest(spec, agreement)
    if spec.status == "under_review":
        services.start_review(SCHEDULER, agreement)
    elif spec.status == "suspended":
        services.suspend(_approver(spec.by), agreement, reason=spec.reason)
    elif spec.status == "terminated":
        services.terminate(_approver(spec.by), agreement, reason=spec.reason)
    elif spec.status == "expired":
        services.expire(SCHEDULER, agreement)
    if spec.amendment:
        _amend(spec, agreement)


def _amend(spec: AgreementSpec, agreement: Agreement) -> None:
    """Propose an amendment to the agreement in force, approved so far by the lead only: the others have it waiting."""
    author = _contributor(spec.lead)
    services.amend(author, agreement)
    for section, values in spec.amendment.items():
        drafting.update_section(author, agreement, section, values)
    services.submit(author, agreement)
    services.approve(_approver(spec.lead), agreement, authority_by_code(spec.lead), content_hash=agreement.latest_version.content_hash)


def load(spec: AgreementSpec) -> bool:
    """Draft the agreement and take it to its status, unless it is there already; return whether it was added."""
    if exists(spec):
        return False
    _reach(spec, _draft(spec))
    return True
