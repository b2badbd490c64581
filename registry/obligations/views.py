"""HTML pages for obligations in force: attesting to one, and what two authorities owe each other."""

from functools import partial

from flask import Blueprint, render_template, url_for

from registry.agreements import access
from registry.agreements.models import DUE_KINDS, OBLIGATION_TYPES
from registry.auth.decorators import current_actor, signed_in
from registry.authorities.queries import authority_by_code
from registry.core.clock import today
from registry.core.downloads import table_download
from registry.core.errors import PermissionDenied
from registry.core.form_views import handle_form, redirect_with_banner
from registry.core.forms import FormState

from . import exports, policies, queries, services
from .models import ATTESTATION_STATUSES
from .schemas import AttestationInputSchema

bp = Blueprint("obligations", __name__)

NAMES = {"obligation_types": OBLIGATION_TYPES, "due_kinds": DUE_KINDS, "attestation_statuses": ATTESTATION_STATUSES}


def _attestable(obligation_id: int) -> queries.ObligationDue:
    """Return the obligation in force if the signed-in person may attest to it."""
    due = queries.obligation_in_force(obligation_id, today())
    actor = current_actor()
    access.seen_by(actor, due.agreement)
    if not policies.can_attest(actor, due.obligation):
        raise PermissionDenied(f"Only an approver of {due.owed_by.name} can attest to what it owes.")
    return due


def _attest_page(due, form: FormState, status: int = 200):
    return render_template("obligations/attest.html", due=due, today=today(), form=form, **NAMES), status


@bp.get("/obligations/<int:obligation_id>/attest")
@signed_in
def attest_form(obligation_id: int):
    """Show the form for the owing party's approver to say whether an obligation was met."""
    return _attest_page(_attestable(obligation_id), FormState())


@bp.post("/obligations/<int:obligation_id>/attest")
@signed_in
def attest(obligation_id: int):
    """Record the attestation, or show what is wrong with it."""
    due = _attestable(obligation_id)
    return handle_form(
        AttestationInputSchema(),
        partial(_attest, obligation_id),
        saved=lambda attestation: redirect_with_banner(
            url_for("agreements.show", reference=due.agreement.reference) + "#obligations",
            f"Attested: {ATTESTATION_STATUSES[attestation.status].lower()}. The audit log holds it as entry {attestation.audit_index}.",
        ),
        invalid=lambda form: _attest_page(due, form, 422),
    )


def _attest(obligation_id: int, data: dict):
    return services.attest(current_actor(), obligation_id, **data)


def _counterpart(code: str, other_code: str) -> queries.Counterpart:
    """Return what two authorities owe each other, if the signed-in person may see it for the first."""
    mine, other = authority_by_code(code), authority_by_code(other_code)
    if not policies.can_view_counterparts(current_actor(), mine):
        raise PermissionDenied(f"Only people at {mine.name}, and auditors, can see what it owes and is owed.")
    return queries.counterpart(mine, other, today())


@bp.get("/authorities/<string:code>/partners/<string:other_code>")
@signed_in
def counterpart(code: str, other_code: str):
    """Show what another authority owes this one, what this one owes it, and what is overdue."""
    view = _counterpart(code, other_code)
    return render_template(
        "obligations/counterpart.html",
        view=view,
        attestable=policies.attestable(current_actor(), view.we_owe_them),
        today=today(),
        **NAMES,
    )


@bp.get("/authorities/<string:code>/partners/<string:other_code>.csv", defaults={"extension": "csv"})
@bp.get("/authorities/<string:code>/partners/<string:other_code>.xlsx", defaults={"extension": "xlsx"})
@signed_in
def counterpart_download(code: str, other_code: str, extension: str):
    """Download what two authorities owe each other as CSV or Excel, one row per obligation."""
    view = _counterpart(code, other_code)
    return table_download(
        extension,
        f"obligations-{view.mine.code}-{view.other.code}-{today().isoformat()}",
        "Obligations",
        exports.COUNTERPART_HEADER,
        exports.counterpart_rows(view),
    )


@bp.get("/authorities/<string:code>/obligations.csv", defaults={"extension": "csv"})
@bp.get("/authorities/<string:code>/obligations.xlsx", defaults={"extension": "xlsx"})
@signed_in
def authority_download(code: str, extension: str):
    """Download every obligation in force that an authority owes or is owed, as CSV or Excel (the API's obligations list)."""
    authority = authority_by_code(code)
    if not policies.can_view_counterparts(current_actor(), authority):
        raise PermissionDenied(f"Only people at {authority.name}, and auditors, can see what it owes and is owed.")
    dues = queries.obligations_in_force(today(), involving=[authority.id])
    return table_download(
        extension,
        f"obligations-{authority.code}-{today().isoformat()}",
        "Obligations",
        exports.COUNTERPART_HEADER,
        exports.authority_rows(authority, dues),
    )
