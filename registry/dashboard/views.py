"""The dashboard page."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from registry.agreements import queries as agreement_queries
from registry.auth.decorators import current_actor, signed_in
from registry.core.authz import public

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@public
def home():
    """Send people to their dashboard, or to sign in."""
    if current_user.is_authenticated:
        return redirect(url_for(".show"))
    return redirect(url_for("auth.sign_in"))


@bp.get("/dashboard")
@signed_in
def show():
    """Show the user's authorities and roles, and what they can do next."""
    actor = current_actor()
    return render_template(
        "dashboard/show.html",
        user=actor,
        waiting=agreement_queries.waiting_for_approval(actor),
        counts=agreement_queries.counts_by_status(actor),
    )
