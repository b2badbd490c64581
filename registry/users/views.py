"""HTML pages for accounts: administrators manage users; everyone manages their own API tokens."""

from functools import partial

from flask import Blueprint, render_template, request, url_for

from registry.auth.decorators import current_actor, signed_in, system_role_required
from registry.authorities.queries import authority_by_code_or_none
from registry.core.errors import Conflict, ValidationFailed
from registry.core.form_views import handle_form, redirect_with_banner
from registry.core.forms import FormState
from registry.core.pagination import page_number, paginate
from registry.core.unit_of_work import unit_of_work

from . import policies, queries, services
from .roles import Role, SystemRole
from .schemas import ApiTokenInputSchema, MembershipInputSchema, NewUserSchema, SystemRoleSchema

bp = Blueprint("users", __name__, url_prefix="/users")
account_bp = Blueprint("account", __name__, url_prefix="/account")

admin_only = system_role_required(SystemRole.ADMIN)


@bp.get("")
@admin_only
def index():
    """List users, searchable by name or email."""
    q = request.args.get("q", "")[:100]
    page = paginate(queries.user_search(q), page_number(request.args.get("page")), per_page=50)
    pagination = page.govuk_links(".index", {"q": q})
    return render_template("users/index.html", page=page, pagination=pagination, q=q)


@bp.get("/new")
@admin_only
def new():
    """Show the form to create a user."""
    return render_template("users/new.html", form=FormState())


@bp.post("/new")
@admin_only
def create():
    """Create a user, or show what is wrong with the form."""
    return handle_form(
        NewUserSchema(),
        _create_user,
        saved=lambda user: _done(user, f"The account for {user.name} has been created. Now give them a role for their authority."),
        invalid=lambda form: (render_template("users/new.html", form=form), 422),
    )


def _create_user(data: dict):
    return services.create_user(current_actor(), **data)


def _done(user, message: str):
    return redirect_with_banner(url_for(".show", user_id=user.id), message)


def _render_user(user, *, grant_form=None, role_form=None, status=200):
    form = grant_form if grant_form and grant_form.has_errors else role_form
    return render_template(
        "users/show.html",
        user=user,
        grant_form=grant_form or FormState(),
        role_form=role_form or FormState({"system_role": user.system_role or "none"}),
        form=form or FormState(),
        roles=list(Role),
        system_roles=list(SystemRole),
        can_deactivate=policies.can_deactivate(current_actor(), user),
        can_change_system_role=policies.can_change_system_role(current_actor(), user),
    ), status


@bp.get("/<int:user_id>")
@admin_only
def show(user_id: int):
    """Show a user with their memberships and what an administrator can change."""
    return _render_user(queries.user_by_id(user_id))


@bp.post("/<int:user_id>/memberships")
@admin_only
def grant_membership(user_id: int):
    """Give the user a role for an authority."""
    user = queries.user_by_id(user_id)
    return handle_form(
        MembershipInputSchema(),
        partial(_grant_membership, user),
        anchors={"role": "role"},
        saved=lambda membership: _done(user, f"{user.name} is now {membership.role} for {membership.authority.name}."),
        invalid=lambda form: _render_user(user, grant_form=form, status=422),
    )


def _grant_membership(user, data: dict):
    authority = authority_by_code_or_none(data["authority_code"].upper())
    if authority is None:
        raise ValidationFailed.single("authority_code", "There is no authority with this code")
    try:
        return services.grant_membership(current_actor(), user, authority, Role(data["role"]))
    except Conflict as conflict:
        # Refused because of the role they have there: said against the role the form asks for.
        raise ValidationFailed.single("role", conflict.message) from None


@bp.post("/<int:user_id>/memberships/<int:membership_id>/revoke")
@admin_only
def revoke_membership(user_id: int, membership_id: int):
    """Take away the user's role for an authority."""
    user = queries.user_by_id(user_id)
    membership = queries.membership_of(user, membership_id)
    authority_name = membership.authority.name
    with unit_of_work():
        services.revoke_membership(current_actor(), membership)
    return _done(user, f"{user.name} no longer has a role for {authority_name}.")


@bp.post("/<int:user_id>/system-role")
@admin_only
def change_system_role(user_id: int):
    """Make the user an auditor or administrator, or neither."""
    user = queries.user_by_id(user_id)
    return handle_form(
        SystemRoleSchema(),
        partial(_set_system_role, user),
        anchors={"system_role": "system_role"},
        saved=lambda _: _done(user, f"{user.name}'s system role has been changed."),
        invalid=lambda form: _render_user(user, role_form=form, status=422),
    )


def _set_system_role(user, data: dict):
    return services.set_system_role(current_actor(), user, data["system_role"])


@bp.post("/<int:user_id>/deactivate")
@admin_only
def deactivate(user_id: int):
    """Stop the user signing in or using the API."""
    return _change_account(user_id, services.deactivate_user, "deactivated")


@bp.post("/<int:user_id>/reactivate")
@admin_only
def reactivate(user_id: int):
    """Let a deactivated user sign in again."""
    return _change_account(user_id, services.reactivate_user, "reactivated")


def _change_account(user_id: int, use_case, done: str):
    user = queries.user_by_id(user_id)
    with unit_of_work():
        use_case(current_actor(), user)
    return _done(user, f"{user.name}'s account has been {done}.")


def _render_account(form=None, status=200):
    actor = current_actor()
    return render_template(
        "account/show.html", user=actor, tokens=queries.api_tokens_of(actor), form=form or FormState()
    ), status


# Not `show`: that is users.show above, an administrator's page about someone else.
@account_bp.get("", endpoint="show")
@signed_in
def show_account():
    """Show your account: your roles and your API tokens."""
    return _render_account()


@account_bp.post("/api-tokens")
@signed_in
def create_api_token():
    """Create an API token and show it, once."""
    return handle_form(
        ApiTokenInputSchema(),
        _create_api_token,
        saved=lambda created: _show_once(*created),
        invalid=lambda form: _render_account(form, status=422),
    )


def _create_api_token(data: dict):
    return services.create_api_token(current_actor(), data["name"])


def _show_once(token, secret: str):
    # Rendered, not redirected: the secret must not travel through the session cookie.
    return render_template("account/token_created.html", token=token, secret=secret)


@account_bp.post("/api-tokens/<int:token_id>/revoke")
@signed_in
def revoke_api_token(token_id: int):
    """Stop one of your API tokens working."""
    token = queries.api_token_of(current_actor(), token_id)
    with unit_of_work():
        services.revoke_api_token(current_actor(), token)
    return redirect_with_banner(url_for(".show"), f"The token “{token.name}” has been revoked.")
