"""Use cases for obligations in force: attesting whether one was met, for the date it fell due."""

from datetime import date

from registry.audit.services import commitment, record
from registry.core.clock import today
from registry.core.errors import Conflict, PermissionDenied
from registry.core.templating import format_date
from registry.extensions import db

from . import policies, queries
from .models import Attestation


def attest(
    actor, obligation_id: int, *, status: str, note: str = "", evidence_reference: str = "", due_on: date | None = None
) -> Attestation:
    """Record the owing party's attestation for the obligation's current due date (or its event).

    `due_on` is the due date the approver read: when it is no longer the one due (someone
    attested it meanwhile, or the form was sent twice), nothing is recorded, rather than
    the attestation landing on the next period. The database's unique index on
    (lineage, due_on) settles two attestations at the same moment.
    """
    due = queries.obligation_in_force(obligation_id, today())
    obligation = due.obligation
    if not policies.can_attest(actor, obligation):
        raise PermissionDenied(f"Only an approver of {due.owed_by.name} can attest to what it owes.")
    if due_on is not None and due_on != due.next_due:
        raise Conflict(
            f"This obligation is no longer due on {format_date(due_on)}: it has been attested for that date "
            "already, so nothing was saved. Reload the page to see where it stands.",
            next_due=due.next_due.isoformat() if due.next_due else None,
        )
    attestation = Attestation(
        obligation=obligation,
        lineage=obligation.lineage,
        agreement_id=due.agreement.id,
        authority_id=due.owed_by.id,
        due_on=due.next_due,
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
            "note_sha256": commitment(attestation.note) if attestation.note else None,
            "evidence_sha256": commitment(attestation.evidence_reference) if attestation.evidence_reference else None,
        },
        authorities=[due.owed_by, *due.owed_to],
        acting_for=due.owed_by,
    )
    db.session.flush()
    return attestation
