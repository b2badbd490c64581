"""What single sign-on adds to an authority's page: how its people sign in, for those who may change it."""

from flask import render_template
from markupsafe import Markup

from registry.auth import policies, queries
from registry.authorities.events import AuthorityPageShown


def authority_sign_in(event: AuthorityPageShown) -> dict[str, Markup]:
    """Show an authority's administrators (and system administrators) whether password sign-in is on, with a link to change it."""
    if not policies.can_set_password_sign_in(event.actor, event.authority):
        return {}
    html = render_template("sso/_authority_panel.html", authority=event.authority,
                           password_allowed=not queries.password_sign_in_off(event.authority))
    return {"sign_in": Markup(html)}
