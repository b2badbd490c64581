"""A version's content as one canonical document: what is hashed, frozen, compared and printed."""

import hashlib
import json

import rfc8785

from .models import AgreementVersion

CONTENT_FORMAT = 1


def _flow_document(flow) -> dict:
    dataset = flow.dataset
    return {
        "from": flow.from_party.authority.code,
        "to": flow.to_party.authority.code,
        "dataset": {
            "id": dataset.id,
            "name": dataset.name,
            "owner": dataset.authority.code,
            "classification": dataset.security_classification,
        },
        "data_items": sorted(
            (
                {
                    "name": item.name,
                    "personal": item.personal,
                    "special_category": item.special_category,
                    "criminal_offence": item.criminal_offence,
                }
                for item in flow.data_items
            ),
            key=lambda item: item["name"],
        ),
        "frequency": flow.frequency,
        "method": flow.method,
        "volume": flow.volume,
    }


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def _obligation_document(obligation) -> dict:
    return {
        "owed_by": obligation.owed_by.authority.code,
        "owed_to": obligation.owed_to.authority.code if obligation.owed_to is not None else "all other parties",
        "type": obligation.type,
        "description": obligation.description,
        "due": {
            "kind": obligation.due_kind,
            "date": _iso(obligation.due_date),
            "every_months": obligation.every_months,
            "event": obligation.event,
            "within_hours": obligation.within_hours,
        },
    }


def codes_named(document: dict) -> set[str]:
    """Return the codes of the authorities and legal bases a version's document names."""
    codes = {document["lead_authority"]}
    for party in document["parties"]:
        codes |= {party["authority"], *party["legal_bases"]}
    for flow in document["flows"]:
        codes |= {flow["from"], flow["to"]}
    for obligation in document.get("obligations", []):
        codes |= {obligation["owed_by"], obligation["owed_to"]}
    return codes


def version_document(version: AgreementVersion) -> dict:
    """Return everything the version says, as plain JSON values in a fixed shape."""
    agreement = version.agreement
    return {
        "format": CONTENT_FORMAT,
        "reference": agreement.reference,
        "version": version.number,
        "title": version.title,
        "type": version.agreement_type,
        "lead_authority": agreement.lead_authority.code,
        "purpose": {
            "purpose": version.purpose,
            "functions_served": version.functions_served,
            "benefits": version.benefits,
            "necessity": version.necessity,
        },
        "parties": sorted(
            (
                {
                    "authority": party.authority.code,
                    "name": party.authority.name,
                    "sharing_role": party.sharing_role,
                    "controller_role": party.controller_role,
                    "legal_bases": sorted(basis.code for basis in party.legal_bases),
                }
                for party in version.parties
            ),
            key=lambda party: party["authority"],
        ),
        "flows": sorted(
            (_flow_document(flow) for flow in version.flows),
            key=lambda flow: (flow["from"], flow["to"], flow["dataset"]["name"], flow["dataset"]["id"]),
        ),
        "terms": {
            "retention": version.retention,
            "security_measures": version.security_measures,
            "rights_handling": version.rights_handling,
            "breach_notification_hours": version.breach_notification_hours,
            "onward_sharing_allowed": version.onward_sharing_allowed,
            "onward_sharing_conditions": version.onward_sharing_conditions,
            "commercial_use_allowed": version.commercial_use_allowed,
            "international_transfers": version.international_transfers,
            "international_transfer_details": version.international_transfer_details,
            "termination_arrangements": version.termination_arrangements,
        },
        "obligations": sorted(
            (_obligation_document(obligation) for obligation in version.obligations),
            key=lambda o: (o["owed_by"], o["owed_to"], o["type"], o["description"], o["due"]["date"] or ""),
        ),
        "register": {"withheld": version.withhold_from_register, "reason": version.withholding_reason},
        "assurance": {
            "dpia_status": version.dpia_status,
            "dpia_reference": version.dpia_reference,
            "dpia_date": _iso(version.dpia_date),
            "dpo_consulted": version.dpo_consulted,
        },
        "dates": {
            "start": _iso(version.start_date),
            "review": _iso(version.review_date),
            "review_interval_months": version.review_interval_months,
            "end": _iso(version.end_date),
        },
    }


def canonical(document: dict) -> bytes:
    """Return the document's RFC 8785 canonical JSON bytes."""
    return rfc8785.dumps(document)


def content_hash(canonical_bytes: bytes) -> str:
    """Return the SHA-256 of canonical content, in hex: what approvals are given for."""
    return hashlib.sha256(canonical_bytes).hexdigest()


def document_of(version: AgreementVersion) -> dict:
    """Return a version's content: as frozen if it was submitted, else as it stands in the draft."""
    if version.content is not None:
        return json.loads(version.content)
    return version_document(version)
