"""What the dashboard shows for the signed-in person's authorities."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from registry.agreements import queries as agreement_queries
from registry.agreements.models import Agreement
from registry.auditlog import cosigning
from registry.authorities.models import Authority
from registry.obligations import queries as obligation_queries
from registry.obligations.queries import ObligationDue
from registry.core.db import utcnow

from .network import Network, layout

# How far ahead the dashboard looks for reviews and for what we must attest to.
HORIZON_DAYS = 90


@dataclass
class Dashboard:
    authorities: list[Authority]
    waiting: list
    counts: dict[str, int]
    drafts: list[Agreement] = field(default_factory=list)
    # Of the drafts, the ids of those sent back with a request for changes.
    sent_back: set[int] = field(default_factory=set)
    reviews_due: list[Agreement] = field(default_factory=list)
    overdue_to_us: list[ObligationDue] = field(default_factory=list)
    not_met_to_us: list[ObligationDue] = field(default_factory=list)
    not_met_by_us: list[ObligationDue] = field(default_factory=list)
    ours_to_attest: list[ObligationDue] = field(default_factory=list)
    partners: list[tuple[Authority, Authority, int]] = field(default_factory=list)
    network: Network | None = None
    horizon: date | None = None
    # For system administrators: where witnessing stands, when changes have waited too long for the quorum.
    witnessing_overdue: cosigning.Witnessing | None = None


def dashboard_for(actor, today: date) -> Dashboard:
    """Return what waits for the actor and where their authorities' agreements and obligations stand."""
    authorities = [membership.authority for membership in actor.memberships]
    board = Dashboard(
        authorities=authorities,
        waiting=agreement_queries.waiting_for_approval(actor),
        drafts=agreement_queries.unfinished_drafts(actor),
        counts=agreement_queries.counts_by_status(actor),
        horizon=today + timedelta(days=HORIZON_DAYS),
    )
    board.sent_back = agreement_queries.sent_back(board.drafts)
    if actor.is_admin:
        board.witnessing_overdue = cosigning.quorum_overdue(utcnow())
    if not authorities:
        return board
    ids = {authority.id for authority in authorities}
    board.reviews_due = [
        agreement for agreement in obligation_queries.reviews_due(today, involving=list(ids))
        if agreement.review_due <= board.horizon
    ]
    dues = obligation_queries.obligations_in_force(today, involving=list(ids))
    owed_to_us = [due for due in dues if any(a.id in ids for a in due.owed_to)]
    board.overdue_to_us = [due for due in owed_to_us if due.overdue]
    board.not_met_to_us = [due for due in owed_to_us if due.not_met is not None]
    board.not_met_by_us = [due for due in dues if due.owed_by.id in ids and due.not_met is not None]
    board.ours_to_attest = [
        due for due in dues if due.owed_by.id in ids and due.next_due is not None and due.next_due <= board.horizon
    ]
    links, names = {}, {}
    for authority in authorities:
        for partner, count in obligation_queries.partners_of(authority):
            board.partners.append((authority, partner, count))
            links[(authority.code, partner.code)] = count
            names[partner.code] = partner.short_name
    board.network = layout([(a.code, a.short_name) for a in authorities], links, names)
    return board
