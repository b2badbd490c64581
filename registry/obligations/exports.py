"""What two authorities owe each other, as rows for CSV and as plain values for the JSON API."""

from registry.agreements.models import OBLIGATION_TYPES

from .models import ATTESTATION_STATUSES
from .queries import STANDINGS, Counterpart, ObligationDue

COUNTERPART_HEADER = (
    "direction", "agreement_reference", "agreement_title", "owed_by", "owed_by_name", "owed_to", "owed_to_names",
    "type", "description",
    "due_kind", "due_date", "every_months", "event", "within_hours", "next_due", "overdue", "not_met", "standing",
    "last_attestation_status", "last_attested_on", "last_attestation_for", "last_attestation_audit_index",
)


def due_values(due: ObligationDue) -> dict:
    """Return an obligation in force and where it stands, as plain values."""
    obligation, last = due.obligation, due.last_attestation
    return {
        "obligation_id": obligation.id,
        "lineage": obligation.lineage,
        "agreement_reference": due.agreement.reference,
        "agreement_title": obligation.version.title,
        "owed_by": due.owed_by.code,
        "owed_by_name": due.owed_by.name,
        "owed_to": [authority.code for authority in due.owed_to],
        "owed_to_names": [authority.name for authority in due.owed_to],
        "type": obligation.type,
        "type_name": OBLIGATION_TYPES[obligation.type],
        "description": obligation.description,
        "due_kind": obligation.due_kind,
        "due_date": obligation.due_date,
        "every_months": obligation.every_months,
        "event": obligation.event,
        "within_hours": obligation.within_hours,
        "next_due": due.next_due,
        "overdue": due.overdue,
        "not_met": due.not_met is not None,
        "standing": due.standing,
        "standing_name": STANDINGS[due.standing],
        "attestations_for_due": due.attestations_for_due,
        "last_attestation": None if last is None else {
            "status": last.status,
            "status_name": ATTESTATION_STATUSES[last.status],
            "note": last.note,
            "attested_on": last.attested_at.date(),
            "due_on": last.due_on,
            "audit_index": last.audit_index,
        },
    }


def _row(direction: str, due: ObligationDue) -> tuple:
    values = due_values(due)
    last = values["last_attestation"] or {}
    return (
        direction, values["agreement_reference"], values["agreement_title"], values["owed_by"], values["owed_by_name"],
        " ".join(values["owed_to"]), "; ".join(values["owed_to_names"]), values["type"], values["description"], values["due_kind"],
        values["due_date"], values["every_months"], values["event"], values["within_hours"],
        values["next_due"], values["overdue"], values["not_met"], values["standing_name"], last.get("status"), last.get("attested_on"),
        last.get("due_on"), last.get("audit_index"),
    )


def counterpart_rows(view: Counterpart):
    """Yield one CSV row per obligation between the two authorities: theirs to us, then ours to them."""
    for direction, dues in (("owed_to_us", view.they_owe_us), ("owed_by_us", view.we_owe_them)):
        for due in dues:
            yield _row(direction, due)


def authority_rows(authority, dues: list[ObligationDue]):
    """Yield one row per obligation in force that the authority owes or is owed: what it owes first, then what it is owed."""
    yield from (_row("owed_by_us", due) for due in dues if due.owed_by.id == authority.id)
    yield from (_row("owed_to_us", due) for due in dues if authority in due.owed_to)
