"""What sign-off adds to other features' pages (subscribed in registry/__init__.py)."""

from flask import render_template
from markupsafe import Markup

from registry.agreements.events import AgreementPageShown
from registry.authorities.events import AuthorityPageShown
from registry.core.clock import today

from . import policies, queries


def agreement_sign_off(event: AgreementPageShown) -> dict[str, Markup]:
    """Show, on a proposed agreement or amendment, who still has to approve and for how long, with a nudge button for the lead."""
    day = today()
    sign_off = queries.sign_off_of(event.agreement, day)
    if sign_off is None:
        return {}
    html = render_template(
        "signoff/_agreement_panel.html",
        sign_off=sign_off,
        today=day,
        may_nudge=policies.can_nudge(event.actor, event.agreement),
    )
    return {"sign_off": Markup(html)}


def authority_sign_off(event: AuthorityPageShown) -> dict[str, Markup]:
    """Link, for those who may see it, to how fast the authority's agreements are signed off."""
    if not policies.can_view_signoff_speed(event.actor, event.authority):
        return {}
    html = render_template(
        "signoff/_authority_panel.html",
        authority=event.authority,
        sees_national=policies.can_view_national_signoff_speed(event.actor),
    )
    return {"sign_off": Markup(html)}
