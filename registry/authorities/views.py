"""HTML pages for authorities: the searchable list, a detail page, and partner bodies for admins."""

from functools import partial

from flask import Blueprint, render_template, url_for

from registry.auth.decorators import current_actor, signed_in, system_role_required
from registry.core import events
from registry.core.clock import today
from registry.core.errors import PermissionDenied
from registry.core.form_views import handle_form, redirect_with_banner
from registry.core.forms import FormState, load_query
from registry.core.pagination import paginate
from registry.users.roles import SystemRole

from . import policies, queries, services
from .events import AuthorityPageShown
from .schemas import AuthorityQuerySchema, PartnerSchema
from .types import LOCAL_AUTHORITY_TYPES, NATIONS, PARTNER_TYPES

bp = Blueprint("authorities", __name__, url_prefix="/authorities")

# The list's type filter: the councils' types, each said to be a council's, then the partner bodies'.
TYPE_CHOICES = [(code, f"Council: {name}") for code, name in LOCAL_AUTHORITY_TYPES.items()] + list(PARTNER_TYPES.items())


@bp.get("")
@signed_in
def index():
    """List authorities, searchable by name or code and filtered by type, nation and status."""
    filters, form = load_query(AuthorityQuerySchema())
    page_number = filters.pop("page")
    page = paginate(queries.authority_search(queries.AuthorityFilters(**filters), today()), page_number, per_page=50)
    return render_template(
        "authorities/index.html",
        page=page,
        pagination=page.govuk_links(".index", form.values),
        filters=filters,
        form=form,
        today=today(),
        types=TYPE_CHOICES,
        nations=NATIONS,
        can_add_partner=policies.can_add_partner(current_actor()),
    ), form.http_status


@bp.get("/<string:code>")
@signed_in
def show(code: str):
    """Show an authority, with its predecessors and successors."""
    authority = queries.authority_by_code(code)
    actor = current_actor()
    return render_template(
        "authorities/show.html",
        authority=authority,
        today=today(),
        can_edit=policies.can_edit(actor, authority),
        # Features above authorities add their panels (obligations: who it shares with).
        panels=events.emit(AuthorityPageShown(actor, authority)),
    )


def _partner_form(form: FormState, authority=None, status: int = 200):
    return render_template(
        "authorities/partner_form.html", form=form, authority=authority, partner_types=PARTNER_TYPES, nations=NATIONS
    ), status


def _shown(authority, done: str):
    return redirect_with_banner(url_for(".show", code=authority.code), f"{authority.name} has been {done}.")


@bp.get("/new-partner")
@system_role_required(SystemRole.ADMIN)
def new_partner():
    """Show the form to add a partner body."""
    return _partner_form(FormState())


@bp.post("/new-partner")
@system_role_required(SystemRole.ADMIN)
def create_partner():
    """Add a partner body, or show what is wrong with the form."""
    return handle_form(
        PartnerSchema(),
        partial(services.add_partner, current_actor()),
        saved=lambda authority: _shown(authority, "added"),
        invalid=lambda form: _partner_form(form, status=422),
    )


@bp.get("/<string:code>/edit")
@system_role_required(SystemRole.ADMIN)
def edit_partner(code: str):
    """Show the form to change a partner body's details."""
    authority = queries.authority_by_code(code)
    _require_editable(authority)
    values = {
        name: getattr(authority, name) or ""
        for name in ("code", "name", "short_name", "type", "ods_code", "nation", "region")
    }
    return _partner_form(FormState(values), authority)


@bp.post("/<string:code>/edit")
@system_role_required(SystemRole.ADMIN)
def update_partner(code: str):
    """Save a partner body's details, or show what is wrong with the form."""
    authority = queries.authority_by_code(code)
    _require_editable(authority)
    return handle_form(
        PartnerSchema(exclude=["code"]),
        partial(services.edit_partner, current_actor(), authority),
        saved=lambda _: _shown(authority, "updated"),
        invalid=lambda form: _partner_form(form, authority, status=422),
    )


def _require_editable(authority) -> None:
    if not policies.can_edit(current_actor(), authority):
        raise PermissionDenied("Councils change only through the reference data; they cannot be edited here.")
