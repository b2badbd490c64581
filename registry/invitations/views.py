"""HTML pages for invitations: administrators invite, resend and cancel; the invited person joins from the emailed link."""

from functools import partial

from flask import Blueprint, current_app, render_template, request, session, url_for
from flask_login import current_user, login_user

from registry.auth import services as auth_services
from registry.auth.decorators import current_actor, people_administrator, signed_in
from registry.authorities.queries import authority_named_in
from registry.core.authz import public
from registry.core.clock import today
from registry.core.db import utcnow
from registry.core.errors import Conflict
from registry.core.form_views import handle_form, redirect_with_banner
from registry.core.forms import FormState
from registry.core.pagination import page_number, paginate
from registry.core.unit_of_work import unit_of_work
from registry.users import queries as user_queries
from registry.users.roles import Role

from . import messages, queries, services
from .schemas import InvitationInputSchema, JoinSchema

bp = Blueprint("invitations", __name__, url_prefix="/invitations")
# The invited person's pages: the link's token is their credential, so most are public.
join_bp = Blueprint("join", __name__, url_prefix="/join")


@bp.get("")
@people_administrator
def index():
    """List the invitations not yet accepted or cancelled, to the authorities the actor administers."""
    actor = current_actor()
    scope = None if actor.is_admin else actor.administered_authority_ids
    page = paginate(queries.open_invitations(scope), page_number(request.args.get("page")), per_page=50)
    return render_template(
        "invitations/index.html", page=page, pagination=page.govuk_links(".index", {}), now=utcnow(),
    )


def _render_new(form: FormState, status: int = 200):
    return render_template(
        "invitations/new.html", form=form, roles=list(Role),
        authorities_to_choose=user_queries.authorities_to_give_roles_for(current_actor(), today()),
        days=current_app.config["INVITATION_VALID_DAYS"],
    ), status


@bp.get("/new")
@people_administrator
def new():
    """Show the form to invite someone."""
    administered = user_queries.authorities_administered_by(current_actor())
    # An administrator for one authority invites people to it: chosen for them.
    values = {"authority_code": administered[0].code} if len(administered) == 1 else {}
    return _render_new(FormState(values))


@bp.post("/new")
@people_administrator
def create():
    """Invite someone (or give an existing account the role), or show what is wrong with the form."""
    return handle_form(
        InvitationInputSchema(),
        _invite,
        saved=_invited,
        invalid=lambda form: _render_new(form, 422),
    )


def _invite(data: dict):
    authority = authority_named_in("authority_code", data["authority_code"])
    return services.invite(
        current_actor(), email=data["email"], authority=authority, role=Role(data["role"]), administrator=data["administrator"]
    )


def _invited(invited: services.Invited):
    if invited.invitation is not None:
        invitation = invited.invitation
        return redirect_with_banner(
            url_for(".index"),
            f"We have sent an invitation to {invitation.email} to be {invitation.role_label} for {invitation.authority.name}.",
        )
    membership = invited.membership
    return redirect_with_banner(
        url_for("users.show", user_id=membership.user_id),
        f"{membership.user.name} already had an account, so they are now {membership.role} for "
        f"{membership.authority.name}. We have emailed them to say so.",
    )


@bp.post("/<int:invitation_id>/resend")
@people_administrator
def resend(invitation_id: int):
    """Send an invitation again, with a new link."""
    invitation = queries.invitation_by_id(invitation_id)
    with unit_of_work():
        services.resend(current_actor(), invitation)
    return redirect_with_banner(url_for(".index"), f"We have sent the invitation to {invitation.email} again, with a new link.")


@bp.post("/<int:invitation_id>/cancel")
@people_administrator
def cancel(invitation_id: int):
    """Cancel an invitation: its link stops working."""
    invitation = queries.invitation_by_id(invitation_id)
    with unit_of_work():
        services.cancel(current_actor(), invitation)
    return redirect_with_banner(url_for(".index"), f"The invitation to {invitation.email} has been cancelled.")


# The invited person's pages


def _unusable(invitation, reason: str):
    """Answer a link that cannot be used, saying why and whom to ask."""
    return render_template(
        "invitations/unusable.html", invitation=invitation, reason=reason,
        who_to_ask=messages.who_to_ask(invitation) if invitation is not None else None,
    ), (404 if invitation is None else 410)


def _state(token: str):
    """Return (invitation, account, why it cannot be used or None) for the link's token."""
    invitation = queries.invitation_by_token(token)
    if invitation is None:
        return None, None, "unknown"
    problem = services.why_unusable(invitation)
    account = user_queries.user_by_email(invitation.email)
    if problem is None and account is not None and not account.active:
        problem = "deactivated"
    return invitation, account, problem


def _render_join(invitation, form: FormState, status: int = 200):
    return render_template("invitations/join.html", invitation=invitation, form=form), status


@join_bp.get("/<string:token>", endpoint="show")
@public
def show(token: str):
    """Show the invited person what the invitation offers: a form to make their account, or a way to accept it with the one they have."""
    invitation, account, problem = _state(token)
    if problem is not None:
        return _unusable(invitation, problem)
    if account is None:
        return _render_join(invitation, FormState())
    signed_in_as = current_actor() if current_user.is_authenticated else None
    return render_template(
        "invitations/existing_account.html", invitation=invitation, signed_in_as=signed_in_as,
        is_theirs=signed_in_as is not None and signed_in_as.id == account.id,
        sign_in_url=url_for("auth.sign_in", next=request.path),
    )


@join_bp.post("/<string:token>")
@public
def join(token: str):
    """Make the invited person's account with their name and password, accept the invitation, and sign them in."""
    invitation, account, problem = _state(token)
    if problem is not None:
        return _unusable(invitation, problem)
    if account is not None:
        return show(token)
    return handle_form(
        JoinSchema(),
        partial(_accept_with_password, invitation),
        saved=_welcome,
        invalid=lambda form: _render_join(invitation, form, 422),
        refusals={Conflict: lambda form: show(token)},
    )


def _accept_with_password(invitation, data: dict):
    if current_user.is_authenticated:
        # Someone else's session in this browser ends: the new account's starts instead.
        auth_services.sign_out(current_actor())
    return services.accept_with_password(invitation, name=data["name"], password=data["password"])


def _welcome(user):
    # A new session: nothing from before joining carries over into it.
    session.clear()
    login_user(user)
    membership = user.memberships[0]
    return redirect_with_banner(
        url_for("dashboard.show"), f"Welcome, {user.name}. You are now {membership.role} for {membership.authority.name}."
    )


@join_bp.post("/<string:token>/accept")
@signed_in
def accept(token: str):
    """Accept the invitation as the signed-in person whose address it was sent to."""
    invitation, _, problem = _state(token)
    if problem is not None:
        return _unusable(invitation, problem)
    with unit_of_work():
        membership = services.accept(invitation, current_actor())
    return redirect_with_banner(
        url_for("dashboard.show"), f"You are now {membership.role} for {membership.authority.name}."
    )
