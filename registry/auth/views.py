"""The sign-in and sign-out pages."""

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from registry.core.authz import public
from registry.core.errors import Throttled
from registry.core.form_views import redirect_with_banner
from registry.core.forms import FormState, load_form
from registry.core.links import path_on_this_site
from registry.core.unit_of_work import unit_of_work

from . import services
from .decorators import current_actor
from .schemas import SignInSchema

bp = Blueprint("auth", __name__)

WRONG_CREDENTIALS = "Enter a correct email address and password"


def safe_next(target: str | None) -> str:
    """Return the page to go to after signing in: the one asked for if it is on this site, else the dashboard."""
    return path_on_this_site(target) or url_for("dashboard.show")


@bp.get("/sign-in")
@public
def sign_in():
    """Show the sign-in form."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.show"))
    return render_template("auth/sign_in.html", form=FormState(), next=request.args.get("next", ""))


@bp.post("/sign-in")
@public
def sign_in_submit():
    """Sign in with an email address and password, or show what went wrong."""
    next_page = request.form.get("next", "")
    data, form = load_form(SignInSchema())
    if data is None:
        return render_template("auth/sign_in.html", form=form, next=next_page), 422
    try:
        with unit_of_work():
            user = services.sign_in(data["email"], data["password"], request.remote_addr or "unknown")
    except Throttled as refusal:
        form.errors["email"] = refusal.message
        return render_template("auth/sign_in.html", form=form, next=next_page), 429
    except services.PasswordSignInOffForUser as refusal:
        form.errors["email"] = refusal.message
        return render_template("auth/sign_in.html", form=form, next=next_page), 403
    if user is None:
        form.errors["email"] = WRONG_CREDENTIALS
        return render_template("auth/sign_in.html", form=form, next=next_page), 422
    # A new session: nothing from before signing in carries over into it.
    session.clear()
    login_user(user)
    return redirect(safe_next(next_page))


@bp.post("/sign-out")
@public
def sign_out():
    """End the session on the server and in the browser."""
    with unit_of_work():
        services.sign_out(current_actor() if current_user.is_authenticated else None)
    logout_user()
    session.clear()
    return redirect_with_banner(url_for("auth.sign_in"), "You have signed out.")
