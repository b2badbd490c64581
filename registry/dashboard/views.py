"""The dashboard page."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

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
    return render_template("dashboard/show.html", user=current_actor())
