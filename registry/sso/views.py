"""Pages of single sign-on: the button's POST that goes to the provider, the callback it returns to, and an authority's sign-in setting."""

from functools import partial

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user

from registry.auth import queries as auth_queries
from registry.auth import services as auth_services
from registry.auth.decorators import current_actor, people_administrator
from registry.authorities.queries import authority_by_code
from registry.core.authz import public
from registry.core.errors import PermissionDenied
from registry.core.form_views import handle_form, redirect_with_banner
from registry.core.forms import FormState
from registry.core.links import external_url, path_on_this_site
from registry.core.security import content_security_policy
from registry.core.unit_of_work import unit_of_work
from registry.users.policies import can_administer

from . import providers, queries, services
from .refusals import SignInRefused
from .schemas import PasswordSignInSchema

bp = Blueprint("sso", __name__)

# Where the browser keeps the state of the sign-in it started, to compare with the callback's.
STATE_KEY = "sso_state"


# The pages that show the providers' buttons, from registry/auth and registry/users, which does not know of this feature.
SIGN_IN_PAGES = frozenset({"auth.sign_in", "auth.sign_in_submit", "account.show"})


@bp.app_context_processor
def _sign_in_providers():
    return {"sign_in_providers": lambda: list(providers.configured().values()), "identities_of": queries.identities_of}


@bp.after_app_request
def _let_sign_in_forms_go_to_providers(response):
    # Browsers apply form-action to every redirect after a form is sent, so the button's POST,
    # answered with a redirect to the provider, needs the provider's origin in the sign-in page's policy.
    if request.endpoint in SIGN_IN_PAGES:
        origins = sorted({providers.origin(provider) for provider in providers.configured().values()})
        if origins:
            response.headers["Content-Security-Policy"] = content_security_policy(form_action=" ".join(["'self'", *origins]))
    return response


def _provider_or_404(provider_key: str) -> providers.Provider:
    provider = providers.provider_or_none(provider_key)
    if provider is None:
        abort(404)
    return provider


def _redirect_uri(provider: providers.Provider) -> str:
    # On SERVICE_URL, never the request's Host header: it must match what is registered at the provider.
    return external_url("sso.callback", provider_key=provider.key)


@bp.post("/sign-in/with/<string:provider_key>")
@public
def start(provider_key: str):
    """Send the browser to the identity provider to sign in (or, signed in already, to link an account there)."""
    provider = _provider_or_404(provider_key)
    linking = current_actor() if current_user.is_authenticated else None
    try:
        with unit_of_work():
            url, state = services.start(provider, redirect_uri=_redirect_uri(provider), next_path=request.form.get("next", ""),
                                        linking=linking)
    except SignInRefused as refusal:
        return render_template("sso/refused.html", provider=provider, refusal=refusal), refusal.status
    session[STATE_KEY] = state
    return redirect(url)


@bp.get("/sign-in/with/<string:provider_key>/callback")
@public
def callback(provider_key: str):
    """Sign in the person the identity provider sent back, or say clearly why not."""
    provider = _provider_or_404(provider_key)
    state = session.pop(STATE_KEY, None)
    previous = current_actor() if current_user.is_authenticated else None
    previous_token = previous.session_token if previous else None
    try:
        with unit_of_work():
            user, next_path = services.finish(
                provider, arguments=request.args.to_dict(), state_from_cookie=state,
                redirect_uri=_redirect_uri(provider), client_address=request.remote_addr or "unknown",
            )
            # Whoever was signed in here before (the same person, when they linked), that session ends: the new one replaces it.
            auth_services.sign_out(previous, token=previous_token)
    except SignInRefused as refusal:
        return render_template("sso/refused.html", provider=provider, refusal=refusal), refusal.status
    # A new session: nothing from before signing in carries over into it.
    session.clear()
    login_user(user)
    return redirect(path_on_this_site(next_path) or url_for("dashboard.show"))


def _render_setting(authority, form: FormState, status: int = 200):
    return render_template("sso/password_sign_in.html", authority=authority, form=form), status


@bp.get("/authorities/<string:code>/password-sign-in")
@people_administrator
def password_sign_in(code: str):
    """Show whether the authority's people may sign in with a password, to change it."""
    authority = authority_by_code(code)
    if not can_administer(current_actor(), authority):
        raise PermissionDenied(f"Only administrators for {authority.name} can change how its people sign in.")
    allowed = not auth_queries.password_sign_in_off(authority)
    return _render_setting(authority, FormState({"allowed": "true" if allowed else "false"}))


@bp.post("/authorities/<string:code>/password-sign-in")
@people_administrator
def set_password_sign_in(code: str):
    """Turn password sign-in on or off for the authority's people."""
    authority = authority_by_code(code)
    return handle_form(
        PasswordSignInSchema(),
        partial(_set, authority),
        saved=partial(_saved, authority),
        invalid=lambda form: _render_setting(authority, form, 422),
    )


def _set(authority, data: dict) -> bool:
    auth_services.set_password_sign_in(current_actor(), authority, allowed=data["allowed"])
    return data["allowed"]


def _saved(authority, allowed: bool):
    words = "can sign in with a password again" if allowed else "can no longer sign in with a password"
    return redirect_with_banner(url_for("sso.password_sign_in", code=authority.code), f"People at {authority.name} {words}.")
