"""Who hears of an attestation, and in what words: the approvers of the authorities the obligation is owed to."""

from registry.agreements.models import OBLIGATION_TYPES
from registry.core.links import path_for
from registry.core.templating import format_date
from registry.obligations.events import ObligationAttested
from registry.obligations.models import ATTESTATION_STATUSES
from registry.users.roles import Role

from .delivery import Message, deliver
from .queries import members_of
from .wording import acting, listed


def tell_of_attestation(event: ObligationAttested) -> None:
    """Tell the approvers of the authorities an obligation is owed to what its owing party attested."""
    attestation, due = event.attestation, event.due
    obligation, agreement = due.obligation, due.agreement
    what = OBLIGATION_TYPES.get(obligation.type, obligation.type)
    standing = ATTESTATION_STATUSES[attestation.status].lower()
    when = f" for {format_date(attestation.due_on)}" if attestation.due_on else ""
    paragraphs = [
        f"{acting(event.actor, due.owed_by)} attested that an obligation it owes {listed(a.name for a in due.owed_to)} "
        f"under the agreement {agreement.reference} was {standing}{when}.",
        f"{what}: {obligation.description}" if obligation.description else what,
    ]
    if attestation.note:
        paragraphs.append(f"Their note:\n{attestation.note}")
    if attestation.evidence_reference:
        paragraphs.append(f"Evidence: {attestation.evidence_reference}")
    message = Message(
        kind="attestations",
        key=f"obligation.attest:{obligation.lineage}:{attestation.id}",
        title=f"{due.owed_by.name} attested {standing}: {what}, {agreement.reference}",
        paragraphs=tuple(paragraphs),
        link=path_for("agreements.show", reference=agreement.reference) + "#obligations",
        action="See the agreement's obligations",
        agreement_reference=agreement.reference,
        why="You get this because you approve for an authority this obligation is owed to.",
    )
    people = {}
    for users in members_of([authority.id for authority in due.owed_to], Role.APPROVER, message.kind).values():
        for user in users:
            people.setdefault(user.id, user)
    deliver(message, list(people.values()), leave_out=event.actor.id)
