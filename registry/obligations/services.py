"""Use cases for obligations in force: attesting whether one was met, for the date it fell due."""

from datetime import date

from registry.auditlog.recording import commitment, record
from registry.core import events
from registry.core.actors import Actor
from registry.core.clock import today
from registry.core.errors import Conflict, PermissionDenied, ValidationFailed
from registry.core.templating import format_date
from registry.extensions import db

from . import policies, queries
from .events import ObligationAttested
from .models import NOT_MET, Attestation


NOTE_NEEDED = "Say what was not met, what will be done about it and by when: the other parties read this"


def attest(
    actor: Actor, obligation_id: int, *, status: str, note: str = "", evidence_reference: str = "", due_on: date | None = None,
    sequence: int | None = None,
) -> Attestation:
    """Record the owing party's attestation for the obligation's current due date (or its event).

    Only "met" answers the due date. "Partly met" or "not met" must say, in the note, what
    was missed and what will be done; the date then stays open, and the obligation stands
    as not met until a later attestation for it says met.

    `due_on` is the due date the approver read, and `sequence` which attestation of that date
    they were making (1 for the first): when either is no longer so (someone attested
    meanwhile, or the form was sent twice), nothing is recorded, rather than the attestation
    landing on the next period or twice on this one. The database's unique index on
    (lineage, due_on, sequence) settles two attestations at the same moment.
    """
    due = queries.obligation_in_force(obligation_id, today())
    obligation = due.obligation
    if not policies.can_attest(actor, obligation):
        raise PermissionDenied(f"Only an approver of {due.owed_by.name} can attest to what it owes.")
    if status in NOT_MET and not note.strip():
        raise ValidationFailed.single("note", NOTE_NEEDED)
    if due_on is not None and due_on != due.next_due:
        raise Conflict(
            f"This obligation is no longer due on {format_date(due_on)}: it has been attested for that date "
            "already, so nothing was saved. Reload the page to see where it stands.",
            next_due=due.next_due.isoformat() if due.next_due else None,
        )
    next_sequence = due.attestations_for_due + 1
    if sequence is not None and sequence != next_sequence:
        raise Conflict(
            "Someone attested to this obligation while you were reading it, so nothing was saved. "
            "Reload the page to see where it stands.",
            next_due=due.next_due.isoformat() if due.next_due else None,
        )
    attestation = Attestation(
        obligation=obligation,
        lineage=obligation.lineage,
        agreement_id=due.agreement.id,
        authority_id=due.owed_by.id,
        due_on=due.next_due,
        sequence=next_sequence,
        status=status,
        note=note.strip(),
        evidence_reference=evidence_reference.strip(),
        attested_by_id=actor.id,
    )
    db.session.add(attestation)
    db.session.flush()
    # The note and the evidence reference are free text: the log holds their hashes.
    attestation.audit_index = record(
        actor,
        "obligation.attest",
        "obligation",
        obligation.lineage,
        {
            "agreement": due.agreement.reference,
            "attestation": attestation.id,
            "status": status,
            "due_on": due.next_due,
            "sequence": next_sequence,
            "note_sha256": commitment(attestation.note) if attestation.note else None,
            "evidence_sha256": commitment(attestation.evidence_reference) if attestation.evidence_reference else None,
        },
        authorities=[due.owed_by, *due.owed_to],
        acting_for=due.owed_by,
    )
    db.session.flush()
    events.emit(ObligationAttested(actor, attestation, due))
    return attestation
