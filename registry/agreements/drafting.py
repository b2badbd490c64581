"""Use cases for writing an agreement: start one, and edit its draft version section by section.

Every edit takes the agreement's lock, checks the editor may edit the draft, changes the
draft and records an audit entry. Free text is committed to by its hash in the log.
"""

import secrets
import uuid

import sqlalchemy as sa

from registry.auditlog.recording import commitment, record
from registry.authorities.models import Authority
from registry.core.actors import Actor
from registry.core.clock import today
from registry.core.errors import NotFound, PermissionDenied, ValidationFailed
from registry.datasets.models import DataItem, Dataset
from registry.extensions import db
from registry.legal.models import LegalBasis

from . import policies, queries, rules
from .locking import count_change, lock
from .models import Agreement, AgreementEvent, AgreementVersion, Flow, Obligation, Party, VersionState

# The fields each section of a draft holds; text fields go into the log only as hashes.
SECTION_FIELDS = {
    "details": ("title", "agreement_type", "withhold_from_register", "withholding_reason"),
    "purpose": ("purpose", "functions_served", "benefits", "necessity"),
    "terms": (
        "retention",
        "security_measures",
        "rights_handling",
        "breach_notification_hours",
        "onward_sharing_allowed",
        "onward_sharing_conditions",
        "commercial_use_allowed",
        "international_transfers",
        "international_transfer_details",
        "termination_arrangements",
    ),
    "assurance": ("dpia_status", "dpia_reference", "dpia_date", "dpo_consulted"),
    "dates": ("start_date", "review_date", "review_interval_months", "end_date"),
}
TEXT_FIELDS = frozenset(
    {
        "withholding_reason",
        "purpose",
        "functions_served",
        "benefits",
        "necessity",
        "retention",
        "security_measures",
        "rights_handling",
        "onward_sharing_conditions",
        "international_transfer_details",
        "termination_arrangements",
    }
)

# The same words whichever channel (web form, API, CLI) adds or changes a party.
LEAD_NEEDED = "Choose the authority that leads the agreement"
PARTY_NEEDED = "Enter the code of an authority, like BRD"
AUTHORITY_STAYS = "A party's authority cannot change: remove the party and add the other authority"


def _logged(field: str, value):
    """Return how a field's value appears in the log: free text by its hash."""
    if field in TEXT_FIELDS and value:
        return {"sha256": commitment(value)}
    return value


def _parties_codes(version: AgreementVersion) -> list[str]:
    return sorted({party.authority.code for party in version.parties} | {version.agreement.lead_authority.code})


def _record(actor: Actor, action: str, agreement: Agreement, version: AgreementVersion, data: dict) -> int:
    # Whatever is worth an audit entry is a change that makes open forms stale; nothing else is.
    count_change(agreement)
    return record(
        actor,
        f"agreement.{action}",
        "agreement",
        agreement.reference,
        {"version_id": version.id, **data},
        authorities=_parties_codes(version),
    )


def _editable_draft(actor: Actor, agreement: Agreement, seen_lock_version: int | None) -> tuple[Agreement, AgreementVersion]:
    agreement = lock(agreement, seen_lock_version)
    # Read under the lock, once: nothing again if the caller loaded it under the same lock.
    draft = queries.pending_under_lock(agreement)
    if draft is None or draft.is_frozen:
        raise ValidationFailed.single("agreement", "This agreement has no draft to edit: it is proposed or in force")
    if not policies.can_edit_draft(actor, agreement):
        raise PermissionDenied("Only contributors and approvers of the agreement's parties can edit its draft.")
    return agreement, draft


def create_agreement(actor: Actor, lead_authority: Authority, *, title: str, agreement_type: str) -> Agreement:
    """Start an agreement led by the actor's authority, with a first draft naming the lead as a party."""
    if not policies.can_create(actor, lead_authority):
        raise PermissionDenied(f"Only contributors and approvers of {lead_authority.name} can start its agreements.")
    if not lead_authority.is_current(today()):
        raise ValidationFailed.single("lead_authority", f"{lead_authority.name} has ended: it cannot lead an agreement")
    agreement, draft = start_draft(lead_authority, title=title, agreement_type=agreement_type, created_by_id=actor.id)
    audit_index = _record(actor, "create", agreement, draft, {"title": title.strip(), "type": agreement_type, "lead": lead_authority.code})
    db.session.add(
        AgreementEvent(agreement=agreement, version_id=draft.id, action="create", to_status="draft", actor_id=actor.id,
                       authority_id=lead_authority.id, audit_index=audit_index)
    )
    db.session.flush()
    return agreement


def start_draft(lead_authority: Authority, *, title: str, agreement_type: str, created_by_id: int | None,
                **values) -> tuple[Agreement, AgreementVersion]:
    """Add an agreement, numbered, with a first draft naming the lead as a party; the caller checks and records."""
    agreement, draft = new_draft(lead_authority, title=title, agreement_type=agreement_type, created_by_id=created_by_id, **values)
    db.session.flush()
    give_reference(agreement)
    return agreement, draft


def new_draft(lead_authority: Authority, *, title: str, agreement_type: str, created_by_id: int | None,
              **values) -> tuple[Agreement, AgreementVersion]:
    """Add an agreement with a first draft naming the lead as a party, unflushed: give_reference() once it is flushed.

    For the import, which flushes a few hundred at a time.
    """
    # Until the flush a random placeholder keeps the unique reference column unique.
    agreement = Agreement(reference=f"DSA-NEW-{secrets.token_hex(6)}", lead_authority=lead_authority, created_by_id=created_by_id)
    draft = AgreementVersion(agreement=agreement, title=title.strip(), agreement_type=agreement_type,
                             created_by_id=created_by_id, **values)
    draft.parties.append(Party(authority=lead_authority, sharing_role="both", controller_role="controller"))
    agreement.latest_version = draft
    db.session.add(draft)
    return agreement, draft


def give_reference(agreement: Agreement) -> None:
    """Number a flushed agreement: the year and its row's number."""
    agreement.reference = f"DSA-{today().year}-{agreement.id:04d}"


def update_section(actor: Actor, agreement: Agreement, section: str, data: dict, *, seen_lock_version: int | None = None) -> AgreementVersion:
    """Change one section of the draft (details, purpose, terms, assurance or dates)."""
    if section not in SECTION_FIELDS:
        raise NotFound(f"An agreement has no section called {section}.")
    agreement, draft = _editable_draft(actor, agreement, seen_lock_version)
    values = {field: data[field] for field in SECTION_FIELDS[section] if field in data}
    if section == "dates":
        merged = {f: values.get(f, getattr(draft, f)) for f in SECTION_FIELDS["dates"]}
        problems = rules.date_problems(merged["start_date"], merged["review_date"], merged["end_date"])
        if problems:
            raise ValidationFailed(problems)
    if section == "assurance" and values.get("dpia_date") and values["dpia_date"] > today():
        raise ValidationFailed.single("dpia_date", "The assessment date must be today or in the past: an assessment is done before the sharing")
    changed = {}
    for field, value in values.items():
        if isinstance(value, str):
            value = value.strip()
        if getattr(draft, field) != value:
            changed[field] = _logged(field, value)
            setattr(draft, field, value)
    db.session.flush()
    if changed:
        _record(actor, "edit", agreement, draft, {"section": section, "changes": changed})
    return draft


def _legal_bases(codes: list[str]) -> list[LegalBasis]:
    found = list(db.session.scalars(sa.select(LegalBasis).where(LegalBasis.code.in_(codes)))) if codes else []
    unknown = sorted(set(codes) - {basis.code for basis in found})
    if unknown:
        raise ValidationFailed.single("legal_bases", "There is no legal basis " + ", ".join(unknown))
    return sorted(found, key=lambda basis: basis.code)


def add_party(actor: Actor, agreement: Agreement, authority: Authority, *, sharing_role: str, controller_role: str,
              legal_bases: list[str] = (), seen_lock_version: int | None = None) -> Party:
    """Add an authority to the draft as a party, with its roles and legal bases."""
    agreement, draft = _editable_draft(actor, agreement, seen_lock_version)
    if draft.party_for(authority) is not None:
        raise ValidationFailed.single("authority_code", f"{authority.name} is already a party")
    if not authority.is_current(today()):
        raise ValidationFailed.single("authority_code", f"{authority.name} has ended: add its successor instead")
    party = Party(authority=authority, sharing_role=sharing_role, controller_role=controller_role,
                  legal_bases=_legal_bases(list(legal_bases)))
    draft.parties.append(party)
    db.session.flush()
    _record(actor, "add_party", agreement, draft, {"party": authority.code, "sharing_role": sharing_role,
                                                   "controller_role": controller_role, "legal_bases": sorted(legal_bases)})
    return party


def update_party(actor: Actor, agreement: Agreement, party_id: int, *, sharing_role: str, controller_role: str,
                 legal_bases: list[str], authority: Authority | None = None,
                 seen_lock_version: int | None = None) -> Party:
    """Change a party's roles and legal bases in the draft; its authority never changes (`authority`, if given, must be it)."""
    agreement, draft = _editable_draft(actor, agreement, seen_lock_version)
    party = queries.draft_party(draft, party_id)
    if authority is not None and authority.id != party.authority_id:
        raise ValidationFailed.single("authority_code", AUTHORITY_STAYS)
    before = (party.sharing_role, party.controller_role, sorted(b.code for b in party.legal_bases))
    bases = _legal_bases(list(legal_bases))
    if before == (sharing_role, controller_role, [b.code for b in bases]):
        return party  # nothing to save: no entry, and nobody's open form goes stale
    party.sharing_role = sharing_role
    party.controller_role = controller_role
    party.legal_bases = bases
    db.session.flush()
    _record(actor, "update_party", agreement, draft, {"party": party.authority.code, "sharing_role": sharing_role,
                                                      "controller_role": controller_role, "legal_bases": sorted(legal_bases)})
    return party


def remove_party(actor: Actor, agreement: Agreement, party_id: int, *, seen_lock_version: int | None = None) -> None:
    """Remove a party from the draft, with the flows to and from it; never the lead."""
    agreement, draft = _editable_draft(actor, agreement, seen_lock_version)
    party = queries.draft_party(draft, party_id)
    if party.authority_id == agreement.lead_authority_id:
        raise ValidationFailed.single("party", "The lead authority cannot be removed from its own agreement")
    flows = [f for f in draft.flows if party.id in (f.from_party_id, f.to_party_id)]
    obligations = [o for o in draft.obligations if party.id in (o.owed_by_party_id, o.owed_to_party_id)]
    # The entry says what went with the party, so the log alone tells what the draft lost.
    removed = {"flows": [f.id for f in flows], "obligations": [o.lineage for o in obligations]}
    for flow in flows:
        draft.flows.remove(flow)
    for obligation in obligations:
        draft.obligations.remove(obligation)
    draft.parties.remove(party)
    db.session.flush()
    _record(actor, "remove_party", agreement, draft, {"party": party.authority.code, "removed": removed})


def _parties_named(draft: AgreementVersion, data: dict, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    """Return the party each field names (None for an optional field left empty).

    Refuses, naming every such field at once, an id that is not a party to the draft.
    """
    parties = {party.id: party for party in draft.parties}
    named = {field: parties.get(data.get(field)) for field in required + optional}
    problems = {
        field: ["Choose a party to the agreement"]
        for field in required + optional
        if named[field] is None and (field in required or data.get(field))
    }
    if problems:
        raise ValidationFailed(problems)
    return named


def _flow_values(draft: AgreementVersion, data: dict) -> dict:
    ends = _parties_named(draft, data, ("from_party_id", "to_party_id"))
    from_party, to_party = ends["from_party_id"], ends["to_party_id"]
    dataset = db.session.get(Dataset, data["dataset_id"])
    if dataset is None:
        raise ValidationFailed.single("dataset_id", "There is no such dataset")
    items = list(db.session.scalars(sa.select(DataItem).where(DataItem.id.in_(data["data_item_ids"]))))
    if len(items) != len(set(data["data_item_ids"])):
        raise ValidationFailed.single("data_item_ids", "Choose data items from the dataset")
    return {
        "from_party": from_party,
        "to_party": to_party,
        "dataset": dataset,
        "data_items": sorted(items, key=lambda item: item.id),
        "frequency": data["frequency"],
        "method": data.get("method", "").strip(),
        "volume": data.get("volume", "").strip(),
    }


def _check_flow(flow: Flow) -> None:
    problems = rules.flow_problems(flow)
    if problems:
        raise ValidationFailed({"flow": problems})


def _flow_log(flow: Flow) -> dict:
    return {
        "from": flow.from_party.authority.code,
        "to": flow.to_party.authority.code,
        "dataset": flow.dataset.id,
        "data_items": [item.id for item in flow.data_items],
        "frequency": flow.frequency,
    }


def add_flow(actor: Actor, agreement: Agreement, data: dict, *, seen_lock_version: int | None = None) -> Flow:
    """Add a flow of a dataset's items from one party to another to the draft."""
    agreement, draft = _editable_draft(actor, agreement, seen_lock_version)
    values = _flow_values(draft, data)
    with db.session.no_autoflush:
        flow = Flow(version=draft, **values)
        _check_flow(flow)
    db.session.add(flow)
    db.session.flush()
    _record(actor, "add_flow", agreement, draft, {"flow": flow.id, **_flow_log(flow)})
    return flow


def update_flow(actor: Actor, agreement: Agreement, flow_id: int, data: dict, *, seen_lock_version: int | None = None) -> Flow:
    """Change a flow in the draft."""
    agreement, draft = _editable_draft(actor, agreement, seen_lock_version)
    flow = queries.draft_flow(draft, flow_id)
    values = _flow_values(draft, data)
    if all(getattr(flow, field) == value for field, value in values.items()):
        return flow  # nothing to save
    with db.session.no_autoflush:
        for field, value in values.items():
            setattr(flow, field, value)
        _check_flow(flow)
    db.session.flush()
    _record(actor, "update_flow", agreement, draft, {"flow": flow.id, **_flow_log(flow)})
    return flow


def remove_flow(actor: Actor, agreement: Agreement, flow_id: int, *, seen_lock_version: int | None = None) -> None:
    """Remove a flow from the draft."""
    agreement, draft = _editable_draft(actor, agreement, seen_lock_version)
    flow = queries.draft_flow(draft, flow_id)
    draft.flows.remove(flow)
    db.session.flush()
    _record(actor, "remove_flow", agreement, draft, {"flow": flow_id})


OBLIGATION_FIELDS = ("type", "description", "due_kind", "due_date", "every_months", "event", "within_hours")


def _obligation_values(draft: AgreementVersion, data: dict) -> dict:
    named = _parties_named(draft, data, ("owed_by_party_id",), optional=("owed_to_party_id",))
    owed_by, owed_to = named["owed_by_party_id"], named["owed_to_party_id"]
    if owed_to is not None and owed_to is owed_by:
        raise ValidationFailed.single("owed_to_party_id", "An obligation is owed to another party")
    values = {field: data.get(field) for field in OBLIGATION_FIELDS}
    kind = values["due_kind"]
    # Keep only what the kind of due date uses, so a switched kind leaves nothing stale behind.
    values["due_date"] = values["due_date"] if kind in ("date", "recurring") else None
    values["every_months"] = values["every_months"] if kind == "recurring" else None
    values["event"] = (values["event"] or "").strip() if kind == "event" else ""
    values["within_hours"] = values["within_hours"] if kind == "event" else None
    values["description"] = (values["description"] or "").strip()
    problem = rules.obligation_date_problem(values["due_date"], draft.start_date)
    if problem:
        raise ValidationFailed.single("due_date", problem)
    return {"owed_by": owed_by, "owed_to": owed_to, **values}


def _obligation_log(obligation) -> dict:
    return {
        "obligation": obligation.lineage,
        "owed_by": obligation.owed_by.authority.code,
        "owed_to": obligation.owed_to.authority.code if obligation.owed_to else None,
        "type": obligation.type,
        "description_sha256": commitment(obligation.description) if obligation.description else None,
        "due_kind": obligation.due_kind,
        "due_date": obligation.due_date,
        "every_months": obligation.every_months,
        "within_hours": obligation.within_hours,
    }


def add_obligation(actor: Actor, agreement: Agreement, data: dict, *, seen_lock_version: int | None = None) -> Obligation:
    """Add to the draft something one party owes another (or all the others), and when."""
    agreement, draft = _editable_draft(actor, agreement, seen_lock_version)
    values = _obligation_values(draft, data)
    obligation = Obligation(version=draft, lineage=uuid.uuid4().hex, **values)
    db.session.add(obligation)
    db.session.flush()
    _record(actor, "add_obligation", agreement, draft, _obligation_log(obligation))
    return obligation


def update_obligation(actor: Actor, agreement: Agreement, obligation_id: int, data: dict, *, seen_lock_version: int | None = None) -> Obligation:
    """Change an obligation in the draft."""
    agreement, draft = _editable_draft(actor, agreement, seen_lock_version)
    obligation = queries.draft_obligation(draft, obligation_id)
    before = _whose_and_when(obligation)
    values = _obligation_values(draft, data)
    if all(getattr(obligation, field) == value for field, value in values.items()):
        return obligation  # nothing to save
    for field, value in values.items():
        setattr(obligation, field, value)
    changed_lineage = _whose_and_when(obligation) != before
    if changed_lineage:
        # Attestations follow the lineage. Another party owing it, or other due dates, make it
        # a different obligation: the old one's attestations must not count for it.
        obligation.lineage = uuid.uuid4().hex
    db.session.flush()
    _record(actor, "update_obligation", agreement, draft, {**_obligation_log(obligation), "new_lineage": changed_lineage})
    return obligation


def _whose_and_when(obligation: Obligation) -> tuple:
    """What makes an obligation's attestations its own: who owes it, and when it falls due."""
    return (obligation.owed_by.authority_id, obligation.due_kind, obligation.due_date, obligation.every_months)


def remove_obligation(actor: Actor, agreement: Agreement, obligation_id: int, *, seen_lock_version: int | None = None) -> None:
    """Remove an obligation from the draft."""
    agreement, draft = _editable_draft(actor, agreement, seen_lock_version)
    obligation = queries.draft_obligation(draft, obligation_id)
    draft.obligations.remove(obligation)
    db.session.flush()
    _record(actor, "remove_obligation", agreement, draft, {"obligation": obligation.lineage})


def copy_version(source: AgreementVersion, actor: Actor) -> AgreementVersion:
    """Return a new draft with everything the source version says (for amendments and rework)."""
    with db.session.no_autoflush:
        draft = AgreementVersion(
            agreement=source.agreement,
            state=VersionState.DRAFT.value,
            based_on_id=source.id,
            created_by_id=getattr(actor, "id", None),
            **{field: getattr(source, field) for fields in SECTION_FIELDS.values() for field in fields},
        )
        db.session.add(draft)
        parties = {}
        for party in source.parties:
            copy = Party(authority=party.authority, sharing_role=party.sharing_role, controller_role=party.controller_role,
                         legal_bases=list(party.legal_bases))
            draft.parties.append(copy)
            parties[party.id] = copy
        for flow in source.flows:
            draft.flows.append(
                Flow(from_party=parties[flow.from_party_id], to_party=parties[flow.to_party_id], dataset=flow.dataset,
                     data_items=list(flow.data_items), frequency=flow.frequency, method=flow.method, volume=flow.volume)
            )
        for obligation in source.obligations:
            # The same lineage: attestations and due dates carry on into the new version.
            draft.obligations.append(
                Obligation(lineage=obligation.lineage, owed_by=parties[obligation.owed_by_party_id],
                           owed_to=parties[obligation.owed_to_party_id] if obligation.owed_to_party_id else None,
                           **{field: getattr(obligation, field) for field in OBLIGATION_FIELDS})
            )
    db.session.flush()
    return draft
