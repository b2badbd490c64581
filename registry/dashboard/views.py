"""The dashboard page."""

from flask import Blueprint, render_template

from registry.auth.decorators import current_actor, signed_in
from registry.core.clock import today
from registry.agreements.models import OBLIGATION_TYPES
from registry.obligations.models import ATTESTATION_STATUSES
from registry.obligations.policies import attestable

from .queries import dashboard_for

bp = Blueprint("dashboard", __name__)


@bp.get("/dashboard")
@signed_in
def show():
    """Show what waits for me, what falls due for my authorities, and who they share with."""
    actor = current_actor()
    board = dashboard_for(actor, today())
    return render_template(
        "dashboard/show.html",
        user=actor,
        board=board,
        attestable=attestable(actor, board.ours_to_attest),
        today=today(),
        obligation_types=OBLIGATION_TYPES,
        attestation_statuses=ATTESTATION_STATUSES,
    )
