"""HTML pages for accounts: administrators manage people; everyone manages their own password and API tokens."""

from functools import partial

from flask import Blueprint, current_app, render_template, request, url_for

from registry.auth.decorators import current_actor, people_administrator, signed_in, system_role_required
from registry.authorities.queries import authority_named_in
from registry.core.clock import today
from registry.core.errors import Conflict, NotFound, Throttled, ValidationFailed
from registry.core.form_views import handle_form, redirect_with_banner
from registry.core.forms import FormState
from registry.core.pagination import page_number, paginate
from registry.core.unit_of_work import unit_of_work

from . import policies, queries, services
from .roles import Role, SystemRole
from .schemas import (
    AdministratorInputSchema,
    ApiTokenInputSchema,
    MembershipInputSchema,
    NewUserSchema,
    PasswordChangeSchema,
    SystemRoleSchema,
)

bp = Blueprint("users", __name__, url_prefix="/users")
account_bp = Blueprint("account", __name__, url_prefix="/account")

admin_only = system_role_required(SystemRole.ADMIN)


def _scope(actor) -> frozenset[int] | None:
    """Return the authorities whose people the actor sees, or None for everyone's (a system administrator)."""
    return None if actor.is_admin else actor.administered_authority_ids


@bp.get("")
@people_administrator
def index():
    """List the people the actor administers (everyone, for a system administrator), searchable by name or email."""
    actor = current_actor()
    q = request.args.get("q", "")[:100]
    scope = _scope(actor)
    page = paginate(queries.user_search(q, authority_ids=scope), page_number(request.args.get("page")), per_page=50)
    pagination = page.govuk_links(".index", {"q": q})
    return render_template(
        "users/index.html", page=page, pagination=pagination, q=q, scope=scope,
        administered=queries.authorities_administered_by(actor), can_create=policies.can_manage_users(actor),
    )


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


def _visible_user(user_id: int):
    """Return the user if the actor may see them; someone outside their authorities does not exist for them."""
    user = queries.user_by_id(user_id)
    if not policies.can_see_user(current_actor(), user):
        raise NotFound("There is no such user.")
    return user


def _render_user(user, *, grant_form=None, role_form=None, administrator_form=None, status=200):
    actor = current_actor()
    scope = _scope(actor)
    administered = queries.authorities_administered_by(actor)
    # An administrator for one authority gives roles for it: chosen for them.
    only = administered[0].code if len(administered) == 1 else None
    grant_form = grant_form or FormState({"authority_code": only} if only else {})
    administrator_form = administrator_form or FormState({ADMINISTRATOR_FIELD: only} if only else {})
    shown = [form for form in (grant_form, administrator_form, role_form) if form and form.has_errors]
    return render_template(
        "users/show.html",
        user=user,
        memberships=[m for m in user.memberships if scope is None or m.authority_id in scope],
        administrator_grants=[g for g in user.administrator_grants if scope is None or g.authority_id in scope],
        grant_form=grant_form,
        administrator_form=administrator_form,
        role_form=role_form or FormState({"system_role": user.system_role or "none"}),
        form=shown[0] if shown else FormState(),
        roles=list(Role),
        system_roles=list(SystemRole),
        administered=administered,
        authorities_to_choose=queries.authorities_to_give_roles_for(actor, today()),
        can_revoke_role=partial(policies.can_revoke_role, actor),
        can_remove_administrator=partial(policies.can_remove_administrator, actor),
        is_self=actor.id == user.id,
        can_deactivate=policies.can_deactivate(actor, user),
        can_change_system_role=policies.can_change_system_role(actor, user),
    ), status


@bp.get("/<int:user_id>")
@people_administrator
def show(user_id: int):
    """Show a user with their roles and what the actor can change."""
    return _render_user(_visible_user(user_id))


@bp.post("/<int:user_id>/memberships")
@people_administrator
def grant_membership(user_id: int):
    """Give the user a role for an authority."""
    user = _visible_user(user_id)
    return handle_form(
        MembershipInputSchema(),
        partial(_grant_membership, user),
        anchors={"role": "role"},
        saved=lambda membership: _done(user, f"{user.name} is now {membership.role} for {membership.authority.name}."),
        invalid=lambda form: _render_user(user, grant_form=form, status=422),
    )


def _grant_membership(user, data: dict):
    authority = authority_named_in("authority_code", data["authority_code"])
    try:
        return services.grant_membership(current_actor(), user, authority, Role(data["role"]))
    except Conflict as conflict:
        # Refused because of the role they have there: said against the role the form asks for.
        raise ValidationFailed.single("role", conflict.message) from None


@bp.post("/<int:user_id>/memberships/<int:membership_id>/revoke")
@people_administrator
def revoke_membership(user_id: int, membership_id: int):
    """Take away the user's role for an authority."""
    user = _visible_user(user_id)
    membership = queries.membership_of(user, membership_id)
    authority_name = membership.authority.name
    with unit_of_work():
        services.revoke_membership(current_actor(), membership)
    return _done(user, f"{user.name} no longer has a role for {authority_name}.")


ADMINISTRATOR_FIELD = "administrator_authority_code"


@bp.post("/<int:user_id>/administrators")
@people_administrator
def appoint_administrator(user_id: int):
    """Make the user an administrator for an authority."""
    user = _visible_user(user_id)
    return handle_form(
        AdministratorInputSchema(),
        partial(_appoint_administrator, user),
        saved=lambda grant: _done(user, f"{user.name} is now an administrator for {grant.authority.name}."),
        invalid=lambda form: _render_user(user, administrator_form=form, status=422),
    )


def _appoint_administrator(user, data: dict):
    authority = authority_named_in(ADMINISTRATOR_FIELD, data["authority_code"])
    try:
        return services.appoint_administrator(current_actor(), user, authority)
    except Conflict as conflict:
        raise ValidationFailed.single(ADMINISTRATOR_FIELD, conflict.message) from None
    except ValidationFailed as failure:
        # The service names the authority field of the role form; this form's has a name of its own.
        raise ValidationFailed({ADMINISTRATOR_FIELD: next(iter(failure.fields.values()))}) from None


@bp.post("/<int:user_id>/administrators/<int:grant_id>/remove")
@people_administrator
def remove_administrator(user_id: int, grant_id: int):
    """Stop the user administering an authority."""
    user = _visible_user(user_id)
    grant = queries.administrator_grant_of(user, grant_id)
    authority_name = grant.authority.name
    with unit_of_work():
        services.remove_administrator(current_actor(), grant)
    return _done(user, f"{user.name} is no longer an administrator for {authority_name}.")


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
@people_administrator
def deactivate(user_id: int):
    """Stop the user signing in or using the API."""
    return _change_account(user_id, services.deactivate_user, "deactivated")


@bp.post("/<int:user_id>/reactivate")
@people_administrator
def reactivate(user_id: int):
    """Let a deactivated user sign in again."""
    return _change_account(user_id, services.reactivate_user, "reactivated")


def _change_account(user_id: int, use_case, done: str):
    user = _visible_user(user_id)
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


@account_bp.get("/password")
@signed_in
def password():
    """Show the form to change your password."""
    return render_template("account/password.html", form=FormState())


@account_bp.post("/password")
@signed_in
def change_password():
    """Change your password (after giving the current one), or show what is wrong."""
    return handle_form(
        PasswordChangeSchema(),
        _change_password,
        saved=lambda _: redirect_with_banner(
            url_for(".show"), "Your password has been changed. Anywhere else you were signed in, you have been signed out."
        ),
        invalid=lambda form: (render_template("account/password.html", form=form), 422),
        refusals={Throttled: _too_many_tries},
    )


def _change_password(data: dict):
    actor = current_actor()
    return services.change_password(
        actor, actor, current_password=data["current_password"], new_password=data["new_password"],
        client_address=request.remote_addr or "unknown", keep_session=actor.session_token,
    )


def _too_many_tries(form: FormState):
    minutes = current_app.config["SIGN_IN_THROTTLE_MINUTES"]
    message = f"You have entered a wrong password too many times. Wait {minutes} minutes, then try again."
    return render_template("account/password.html", form=form.with_failure(ValidationFailed.single("current_password", message))), 429


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
