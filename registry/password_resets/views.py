"""The forgotten-password pages: ask for a reset link, then choose a new password from it."""

from functools import partial

from flask import Blueprint, render_template, request, session, url_for
from flask_login import current_user, login_user

from registry.auth import services as auth_services
from registry.auth.decorators import current_actor
from registry.core.authz import public
from registry.core.errors import Conflict, Throttled, ValidationFailed
from registry.core.form_views import handle_form, redirect_with_banner
from registry.core.forms import FormState

from . import queries, services
from .schemas import NewPasswordSchema, ResetRequestSchema

bp = Blueprint("password_resets", __name__)


@bp.get("/forgotten-password")
@public
def request_form():
    """Show the form to ask for a reset link."""
    return render_template("password_resets/request.html", form=FormState())


@bp.post("/forgotten-password")
@public
def request_submit():
    """Send a reset link if the address has an account; answer the same either way."""
    return handle_form(
        ResetRequestSchema(),
        _request_reset,
        # Rendered, not redirected: the answer is this page, the same for every address.
        saved=lambda email: render_template("password_resets/check_email.html", email=email),
        invalid=lambda form: (render_template("password_resets/request.html", form=form), 422),
        refusals={Throttled: _too_many},
    )


def _request_reset(data: dict):
    services.request_reset(data["email"], request.remote_addr or "unknown")
    return data["email"]


def _too_many(form: FormState):
    message = services.RESET_REQUESTS.message.format(minutes=services.RESET_REQUESTS.minutes())
    return render_template("password_resets/request.html", form=form.with_failure(ValidationFailed.single("email", message))), 429


def _unusable(reason: str):
    return render_template("password_resets/unusable.html", reason=reason), 404 if reason == "unknown" else 410


def _usable(token: str):
    """Return (the reset, None) if the link can be used, else (None, the answer saying why not)."""
    reset = queries.reset_by_token(token)
    if reset is None:
        return None, _unusable("unknown")
    problem = services.why_unusable(reset)
    if problem is not None:
        return None, _unusable(problem)
    return reset, None


@bp.get("/reset-password/<string:token>", endpoint="show")
@public
def show(token: str):
    """Show the form to choose a new password, or why the link cannot be used."""
    reset, refusal = _usable(token)
    if refusal is not None:
        return refusal
    return render_template("password_resets/new_password.html", form=FormState(), email=reset.user.email)


@bp.post("/reset-password/<string:token>")
@public
def submit(token: str):
    """Set the new password, end every session of the account, and sign its owner in afresh."""
    reset, refusal = _usable(token)
    if refusal is not None:
        return refusal
    email = reset.user.email
    return handle_form(
        NewPasswordSchema(),
        partial(_reset_password, reset),
        saved=_signed_in,
        invalid=lambda form: (render_template("password_resets/new_password.html", form=form, email=email), 422),
        refusals={Conflict: lambda form: show(token)},
    )


def _reset_password(reset, data: dict):
    if current_user.is_authenticated and current_actor().id != reset.user_id:
        # Someone else's session in this browser ends: the owner of the link is signed in instead.
        auth_services.sign_out(current_actor())
    return services.reset_password(reset, data["password"])


def _signed_in(user):
    # A new session: nothing from before carries over into it.
    session.clear()
    login_user(user)
    return redirect_with_banner(
        url_for("dashboard.show"), "Your password has been changed and you are signed in. Anywhere else you were signed in, you have been signed out."
    )
