"""What obligations add to other features' pages (subscribed in registry/__init__.py)."""

from flask import render_template
from markupsafe import Markup

from registry.agreements.events import AgreementPageShown
from registry.agreements.models import OBLIGATION_TYPES
from registry.authorities.events import AuthorityPageShown
from registry.core.clock import today

from . import policies, queries
from .models import ATTESTATION_STATUSES


def agreement_obligations(event: AgreementPageShown) -> dict[str, Markup]:
    """Show where an agreement's obligations stand, while it is in force, with links to attest."""
    agreement = event.agreement
    if agreement.status not in queries.IN_FORCE:
        return {}
    dues = queries.obligations_in_force(today(), agreement_id=agreement.id)
    if not dues:
        return {}
    html = render_template(
        "obligations/_agreement_panel.html",
        agreement=agreement,
        obligation_dues=dues,
        attestable=policies.attestable(event.actor, dues),
        attestations=queries.attestations_of_agreement(agreement.id),
        obligation_types=OBLIGATION_TYPES,
        attestation_statuses=ATTESTATION_STATUSES,
    )
    return {"obligations": Markup(html)}


def authority_partners(event: AuthorityPageShown) -> dict[str, Markup]:
    """Show who an authority shares with; people outside it see only partners the public register shows."""
    authority = event.authority
    sees_all = policies.can_view_counterparts(event.actor, authority)
    html = render_template(
        "obligations/_authority_panel.html",
        authority=authority,
        partners=queries.partners_of(authority, published_only=not sees_all),
        sees_all_partners=sees_all,
    )
    return {"partners": Markup(html)}
