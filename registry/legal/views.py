"""HTML pages for the legal vocabulary: the grouped, searchable list, a detail page, and adding and changing (admins)."""

from functools import partial

from flask import Blueprint, g, render_template, url_for

from registry.auth.decorators import current_actor, signed_in, system_role_required
from registry.core.clock import today
from registry.core.form_views import handle_form, redirect_with_banner
from registry.core.forms import FormState, load_query
from registry.users.roles import SystemRole

from . import policies, queries, services
from .models import KINDS
from .reference import FIELDS, bundled_codes
from .schemas import LegalBasisChangesSchema, LegalBasisInputSchema, LegalBasisQuerySchema

bp = Blueprint("legal", __name__, url_prefix="/legal-bases")


@bp.app_template_global()
def legal_basis_label(code: str) -> str:
    """Return a legal basis's citation and title, for pages showing documents that keep codes; the code if none has it."""
    if "legal_basis_labels" not in g:
        g.legal_basis_labels = queries.labels_by_code()
    return g.legal_basis_labels.get(code, code)

admin_only = system_role_required(SystemRole.ADMIN)

# The headings of DPA 2018 Schedule 1's Parts, as the Act words them.
SCHEDULE1_PARTS = {
    1: "Conditions relating to employment, health and research etc",
    2: "Substantial public interest conditions",
    3: "Additional conditions relating to criminal convictions etc",
}
GROUP_HEADINGS = {
    "article6": "UK GDPR Article 6: lawful bases",
    "article9": "UK GDPR Article 9: conditions for special category data",
    "article10": "UK GDPR Article 10: criminal offence data",
    "gateway": "Statutory powers and gateways",
}


def _groups(legal_bases) -> list[dict]:
    """Split the ordered list into the groups the page shows: by kind, and Schedule 1 by Part."""
    groups: list[dict] = []
    for legal_basis in legal_bases:
        if legal_basis.kind == "schedule1":
            heading = f"DPA 2018 Schedule 1 Part {legal_basis.part}: {SCHEDULE1_PARTS[legal_basis.part]}"
        else:
            heading = GROUP_HEADINGS[legal_basis.kind]
        if not groups or groups[-1]["heading"] != heading:
            groups.append({"heading": heading, "kind": legal_basis.kind, "items": []})
        groups[-1]["items"].append(legal_basis)
    return groups


@bp.get("")
@signed_in
def index():
    """List legal bases grouped as the law sets them out, searchable and filtered by kind."""
    filters, form = load_query(LegalBasisQuerySchema())
    legal_bases = queries.legal_bases_matching(queries.LegalBasisFilters(**filters))
    return render_template(
        "legal/index.html",
        form=form,
        total=len(legal_bases),
        groups=_groups(legal_bases),
        kinds=KINDS,
        can_add=policies.can_add_legal_basis(current_actor()),
    ), form.http_status


@bp.get("/<string:code>")
@signed_in
def show(code: str):
    """Show a legal basis: its summary, citation, commencement, flags and notes."""
    legal_basis = queries.legal_basis_by_code(code)
    return render_template(
        "legal/show.html",
        legal_basis=legal_basis,
        today=today(),
        schedule1_parts=SCHEDULE1_PARTS,
        can_edit=policies.can_edit(current_actor(), legal_basis),
    )


def _render_form(form: FormState, legal_basis=None, status: int = 200):
    return render_template(
        "legal/form.html",
        form=form,
        legal_basis=legal_basis,
        kinds=KINDS,
        schedule1_parts=SCHEDULE1_PARTS,
        bundled=legal_basis is not None and legal_basis.code in bundled_codes(),
    ), status


@bp.get("/new")
@admin_only
def new():
    """Show the form to add a legal basis."""
    return _render_form(FormState())


@bp.post("/new")
@admin_only
def create():
    """Add a legal basis, or show what is wrong with the form."""
    return handle_form(
        LegalBasisInputSchema(),
        partial(services.add_legal_basis, current_actor()),
        dates=("commenced",),
        saved=lambda legal_basis: _shown(legal_basis, "added"),
        invalid=lambda form: _render_form(form, status=422),
    )


def _shown(legal_basis, done: str):
    return redirect_with_banner(url_for(".show", code=legal_basis.code), f"{legal_basis.citation} has been {done}.")


def _as_input(value) -> str:
    """Return a stored value as a form input holds it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _form_values(legal_basis) -> dict:
    """Return a legal basis's values as the form's inputs hold them, the date split into its three boxes."""
    values = {name: _as_input(getattr(legal_basis, name)) for name in FIELDS if name != "commenced"}
    if legal_basis.commenced:
        for part in ("day", "month", "year"):
            values[f"commenced-{part}"] = str(getattr(legal_basis.commenced, part))
    return values


@bp.get("/<string:code>/edit")
@admin_only
def edit(code: str):
    """Show the form to change a legal basis."""
    legal_basis = queries.legal_basis_by_code(code)
    return _render_form(FormState(_form_values(legal_basis)), legal_basis)


@bp.post("/<string:code>/edit")
@admin_only
def update(code: str):
    """Save a legal basis's details, or show what is wrong with the form."""
    legal_basis = queries.legal_basis_by_code(code)
    return handle_form(
        LegalBasisChangesSchema(),
        partial(services.edit_legal_basis, current_actor(), legal_basis),
        dates=("commenced",),
        saved=lambda _: _shown(legal_basis, "updated"),
        invalid=lambda form: _render_form(form, legal_basis, status=422),
    )
