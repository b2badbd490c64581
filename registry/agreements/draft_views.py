"""HTML pages for writing an agreement's draft: a task list, one short form per section, parties and flows."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from registry.auth.decorators import current_actor, signed_in
from registry.authorities.queries import authority_named_in
from registry.core.errors import NotFound, PermissionDenied, ValidationFailed
from registry.core.forms import FormState, load_form
from registry.core.unit_of_work import unit_of_work
from registry.datasets import queries as dataset_queries
from registry.legal import queries as legal_queries

from . import drafting, policies, queries
from .locking import StaleAgreement
from .pages import NAMES, SECTIONS, draft_context, seen_lock_version, viewable
from .schemas import FlowInputSchema, ObligationInputSchema, PartyInputSchema

bp = Blueprint("agreement_drafts", __name__, url_prefix="/agreements")

@bp.before_request
def _submitted_drafts_lead_to_the_agreement():
    """Send someone back to a draft that is no longer one (Back after submitting) to the agreement instead.

    Only for pages read with GET, and only for people who may see the agreement: anyone
    else gets the page's own answer.
    """
    reference = (request.view_args or {}).get("reference")
    if request.method != "GET" or reference is None or not current_user.is_authenticated:
        return None
    agreement = queries.agreement_by_reference_or_none(reference)
    if agreement is None or not policies.can_view(current_actor(), agreement):
        return None
    draft = agreement.pending_version
    if draft is not None and not draft.is_frozen:
        return None
    flash(f"{agreement.reference} is no longer a draft to edit: here is where it stands now.")
    return redirect(url_for("agreements.show", reference=agreement.reference))


def editable(reference: str):
    """Return the agreement if the signed-in person may edit its draft now."""
    agreement = viewable(reference)
    if not policies.can_edit_draft(current_actor(), agreement):
        raise PermissionDenied("Only contributors and approvers of the parties can edit this agreement's draft, while it is a draft.")
    return agreement


@bp.get("/<string:reference>/draft")
@signed_in
def tasks(reference: str):
    """Show the draft as a task list: each part, whether it is done, and the submit button."""
    return render_template("agreement_drafts/tasks.html", **draft_context(editable(reference)), form=FormState())


def _section(section: str):
    if section not in SECTIONS:
        raise NotFound("An agreement has no such section.")
    return SECTIONS[section]


def _section_values(draft, schema) -> dict:
    values = {}
    for name in schema().load_fields:
        value = getattr(draft, name)
        if hasattr(value, "year"):
            values.update({f"{name}-day": value.day, f"{name}-month": value.month, f"{name}-year": value.year})
        elif isinstance(value, bool):
            values[name] = "true" if value else "false"
        elif value is not None:
            values[name] = value
    return values


@bp.get("/<string:reference>/draft/<string:section>")
@signed_in
def edit_section(reference: str, section: str):
    """Show one section of the draft to edit."""
    title, schema, _ = _section(section)
    agreement = editable(reference)
    return render_template(
        f"agreement_drafts/{section}.html", agreement=agreement, title=title,
        form=FormState(_section_values(agreement.pending_version, schema)), **NAMES,
    )


@bp.post("/<string:reference>/draft/<string:section>")
@signed_in
def save_section(reference: str, section: str):
    """Save one section of the draft, or show what is wrong with it."""
    title, schema, dates = _section(section)
    agreement = editable(reference)
    data, form = load_form(schema(), dates=dates)
    if data is not None:
        try:
            with unit_of_work():
                drafting.update_section(current_actor(), agreement, section, data, seen_lock_version=seen_lock_version())
        except ValidationFailed as failure:
            form = form.with_failure(failure)
        except StaleAgreement:
            return _section_conflict(agreement, section, title, schema, dates, form)
        else:
            flash(f"{title} saved.", "success")
            return redirect(url_for(".tasks", reference=agreement.reference))
    return render_template(f"agreement_drafts/{section}.html", agreement=agreement, title=title, form=form, **NAMES), 422


def _shown(values: dict, name: str, dates: tuple[str, ...]) -> str:
    """Return a section field's value as the form holds it, in one string to compare and show."""
    if name in dates:
        parts = [str(values.get(f"{name}-{part}", "")).strip() for part in ("day", "month", "year")]
        return "/".join(parts) if any(parts) else ""
    value = str(values.get(name, "")).strip()
    return {"true": "Yes", "false": "No"}.get(value, value)


def _section_conflict(agreement, section: str, title: str, schema, dates: tuple[str, ...], form: FormState):
    """Show the section again after someone else saved the draft meanwhile: the person's text kept,
    what is saved now where it differs, and a button to save theirs over it (the form now carries
    the current lock version)."""
    agreement = queries.agreement_for_page(agreement.reference)
    saved = _section_values(agreement.pending_version, schema)
    differences = [
        (name.replace("_", " ").capitalize(), _shown(saved, name, dates) or "Nothing")
        for name in schema().load_fields
        if _shown(saved, name, dates) != _shown(form.values, name, dates)
    ]
    changed_by = queries.last_change(agreement)
    return render_template(
        f"agreement_drafts/{section}.html", agreement=agreement, title=title, form=form,
        conflict={"differences": differences, "by": changed_by.name, "at": changed_by.time}, **NAMES,
    ), 409


def _stale(agreement):
    """Return the agreement as it is now, and what the form says about the change that made it stale."""
    agreement = queries.agreement_for_page(agreement.reference)
    changed_by = queries.last_change(agreement)
    return agreement, {"differences": None, "by": changed_by.name, "at": changed_by.time}


def _party_page(agreement, party, form: FormState, status: int = 200, conflict: dict | None = None):
    return render_template(
        "agreement_drafts/party.html", agreement=agreement, party=party, form=form,
        legal_bases=legal_queries.legal_bases_by_kind(), conflict=conflict, **NAMES,
    ), status


@bp.get("/<string:reference>/draft/parties/new")
@signed_in
def new_party(reference: str):
    """Show the form to add a party."""
    return _party_page(editable(reference), None, FormState({"sharing_role": "both", "controller_role": "controller"}))


@bp.post("/<string:reference>/draft/parties/new")
@signed_in
def add_party(reference: str):
    """Add a party to the draft, or show what is wrong."""
    agreement = editable(reference)
    data, form = load_form(PartyInputSchema())
    if data is not None:
        try:
            authority = authority_named_in("authority_code", data["authority_code"], required=drafting.PARTY_NEEDED)
            with unit_of_work():
                drafting.add_party(current_actor(), agreement, authority, sharing_role=data["sharing_role"],
                                   controller_role=data["controller_role"], legal_bases=data["legal_bases"],
                                   seen_lock_version=seen_lock_version())
        except ValidationFailed as failure:
            form = form.with_failure(failure)
        except StaleAgreement:
            agreement, conflict = _stale(agreement)
            return _party_page(agreement, None, form, 409, conflict)
        else:
            flash(f"{authority.name} has been added as a party.", "success")
            return redirect(url_for(".tasks", reference=agreement.reference))
    return _party_page(agreement, None, form, 422)


def _party(agreement, party_id: int):
    party = next((p for p in agreement.pending_version.parties if p.id == party_id), None)
    if party is None:
        raise NotFound("That authority is not a party to this draft.")
    return party


@bp.get("/<string:reference>/draft/parties/<int:party_id>")
@signed_in
def edit_party(reference: str, party_id: int):
    """Show a party's roles and legal bases to change."""
    agreement = editable(reference)
    party = _party(agreement, party_id)
    values = {"sharing_role": party.sharing_role, "controller_role": party.controller_role,
              "legal_bases": [b.code for b in party.legal_bases]}
    return _party_page(agreement, party, FormState(values))


@bp.post("/<string:reference>/draft/parties/<int:party_id>")
@signed_in
def update_party(reference: str, party_id: int):
    """Save a party's roles and legal bases, or show what is wrong."""
    agreement = editable(reference)
    party = _party(agreement, party_id)
    data, form = load_form(PartyInputSchema())
    if data is not None:
        try:
            with unit_of_work():
                drafting.update_party(current_actor(), agreement, party_id, sharing_role=data["sharing_role"],
                                      controller_role=data["controller_role"], legal_bases=data["legal_bases"],
                                      seen_lock_version=seen_lock_version())
        except ValidationFailed as failure:
            form = form.with_failure(failure)
        except StaleAgreement:
            agreement, conflict = _stale(agreement)
            return _party_page(agreement, _party(agreement, party_id), form, 409, conflict)
        else:
            flash(f"{party.authority.name}'s part has been saved.", "success")
            return redirect(url_for(".tasks", reference=agreement.reference))
    return _party_page(agreement, party, form, 422)


@bp.post("/<string:reference>/draft/parties/<int:party_id>/remove")
@signed_in
def remove_party(reference: str, party_id: int):
    """Remove a party (and its flows) from the draft."""
    agreement = editable(reference)
    name = _party(agreement, party_id).authority.name
    with unit_of_work():
        drafting.remove_party(current_actor(), agreement, party_id, seen_lock_version=seen_lock_version())
    flash(f"{name} is no longer a party to the draft.", "success")
    return redirect(url_for(".tasks", reference=agreement.reference))


def _flow_page(agreement, flow, form: FormState, dataset=None, status: int = 200, conflict: dict | None = None):
    return render_template(
        "agreement_drafts/flow.html", agreement=agreement, flow=flow, form=form, dataset=dataset,
        datasets=dataset_queries.datasets_of_authorities([p.authority_id for p in agreement.pending_version.parties]), conflict=conflict, **NAMES,
    ), status


@bp.get("/<string:reference>/draft/flows/new")
@signed_in
def new_flow(reference: str):
    """Show the first step of adding a flow: who sends what to whom (or, with a dataset chosen, the items)."""
    agreement = editable(reference)
    dataset = dataset_queries.dataset_or_none(request.args.get("dataset_id", type=int))
    values = {k: v for k, v in request.args.items() if k in ("from_party_id", "to_party_id", "dataset_id")}
    return _flow_page(agreement, None, FormState(values), dataset=dataset)


@bp.post("/<string:reference>/draft/flows/new")
@signed_in
def add_flow(reference: str):
    """Add a flow to the draft, or show what is wrong."""
    agreement = editable(reference)
    data, form = load_form(FlowInputSchema())
    dataset = dataset_queries.dataset_or_none(request.form.get("dataset_id", type=int))
    if data is not None:
        try:
            with unit_of_work():
                drafting.add_flow(current_actor(), agreement, data, seen_lock_version=seen_lock_version())
        except ValidationFailed as failure:
            form = form.with_failure(failure)
        except StaleAgreement:
            agreement, conflict = _stale(agreement)
            return _flow_page(agreement, None, form, dataset=dataset, status=409, conflict=conflict)
        else:
            flash("The flow has been added.", "success")
            return redirect(url_for(".tasks", reference=agreement.reference))
    return _flow_page(agreement, None, form, dataset=dataset, status=422)


def _flow(agreement, flow_id: int):
    flow = next((f for f in agreement.pending_version.flows if f.id == flow_id), None)
    if flow is None:
        raise NotFound("There is no such flow in this draft.")
    return flow


@bp.get("/<string:reference>/draft/flows/<int:flow_id>")
@signed_in
def edit_flow(reference: str, flow_id: int):
    """Show a flow to change."""
    agreement = editable(reference)
    flow = _flow(agreement, flow_id)
    values = {
        "from_party_id": flow.from_party_id, "to_party_id": flow.to_party_id, "dataset_id": flow.dataset_id,
        "data_item_ids": [str(item.id) for item in flow.data_items], "frequency": flow.frequency,
        "method": flow.method, "volume": flow.volume,
    }
    return _flow_page(agreement, flow, FormState(values), dataset=flow.dataset)


@bp.post("/<string:reference>/draft/flows/<int:flow_id>")
@signed_in
def update_flow(reference: str, flow_id: int):
    """Save a flow, or show what is wrong."""
    agreement = editable(reference)
    flow = _flow(agreement, flow_id)
    data, form = load_form(FlowInputSchema())
    if data is not None:
        try:
            with unit_of_work():
                drafting.update_flow(current_actor(), agreement, flow_id, data, seen_lock_version=seen_lock_version())
        except ValidationFailed as failure:
            form = form.with_failure(failure)
        except StaleAgreement:
            agreement, conflict = _stale(agreement)
            flow = _flow(agreement, flow_id)
            return _flow_page(agreement, flow, form, dataset=flow.dataset, status=409, conflict=conflict)
        else:
            flash("The flow has been saved.", "success")
            return redirect(url_for(".tasks", reference=agreement.reference))
    return _flow_page(agreement, flow, form, dataset=flow.dataset, status=422)


@bp.post("/<string:reference>/draft/flows/<int:flow_id>/remove")
@signed_in
def remove_flow(reference: str, flow_id: int):
    """Remove a flow from the draft."""
    agreement = editable(reference)
    _flow(agreement, flow_id)
    with unit_of_work():
        drafting.remove_flow(current_actor(), agreement, flow_id, seen_lock_version=seen_lock_version())
    flash("The flow has been removed.", "success")
    return redirect(url_for(".tasks", reference=agreement.reference))


def _obligation_page(agreement, obligation, form: FormState, status: int = 200, conflict: dict | None = None):
    return render_template(
        "agreement_drafts/obligation.html", agreement=agreement, obligation=obligation, form=form, conflict=conflict, **NAMES,
    ), status


def _obligation(agreement, obligation_id: int):
    obligation = next((o for o in agreement.pending_version.obligations if o.id == obligation_id), None)
    if obligation is None:
        raise NotFound("There is no such obligation in this draft.")
    return obligation


def _obligation_values(obligation) -> dict:
    values = {
        "owed_by_party_id": obligation.owed_by_party_id, "owed_to_party_id": obligation.owed_to_party_id or "",
        "type": obligation.type, "description": obligation.description, "due_kind": obligation.due_kind,
        "every_months": obligation.every_months, "event": obligation.event, "within_hours": obligation.within_hours,
    }
    if obligation.due_date:
        due = obligation.due_date
        values.update({"due_date-day": due.day, "due_date-month": due.month, "due_date-year": due.year})
    return values


@bp.get("/<string:reference>/draft/obligations/new")
@signed_in
def new_obligation(reference: str):
    """Show the form to add an obligation."""
    return _obligation_page(editable(reference), None, FormState({"owed_to_party_id": ""}))


@bp.post("/<string:reference>/draft/obligations/new")
@signed_in
def add_obligation(reference: str):
    """Add an obligation to the draft, or show what is wrong."""
    agreement = editable(reference)
    data, form = load_form(ObligationInputSchema(), dates=("due_date",))
    if data is not None:
        try:
            with unit_of_work():
                drafting.add_obligation(current_actor(), agreement, data, seen_lock_version=seen_lock_version())
        except ValidationFailed as failure:
            form = form.with_failure(failure)
        except StaleAgreement:
            agreement, conflict = _stale(agreement)
            return _obligation_page(agreement, None, form, 409, conflict)
        else:
            flash("The obligation has been added.", "success")
            return redirect(url_for(".tasks", reference=agreement.reference) + "#obligations")
    return _obligation_page(agreement, None, form, 422)


@bp.get("/<string:reference>/draft/obligations/<int:obligation_id>")
@signed_in
def edit_obligation(reference: str, obligation_id: int):
    """Show an obligation to change."""
    agreement = editable(reference)
    obligation = _obligation(agreement, obligation_id)
    return _obligation_page(agreement, obligation, FormState(_obligation_values(obligation)))


@bp.post("/<string:reference>/draft/obligations/<int:obligation_id>")
@signed_in
def update_obligation(reference: str, obligation_id: int):
    """Save an obligation, or show what is wrong."""
    agreement = editable(reference)
    obligation = _obligation(agreement, obligation_id)
    data, form = load_form(ObligationInputSchema(), dates=("due_date",))
    if data is not None:
        try:
            with unit_of_work():
                drafting.update_obligation(current_actor(), agreement, obligation_id, data, seen_lock_version=seen_lock_version())
        except ValidationFailed as failure:
            form = form.with_failure(failure)
        except StaleAgreement:
            agreement, conflict = _stale(agreement)
            return _obligation_page(agreement, _obligation(agreement, obligation_id), form, 409, conflict)
        else:
            flash("The obligation has been saved.", "success")
            return redirect(url_for(".tasks", reference=agreement.reference) + "#obligations")
    return _obligation_page(agreement, obligation, form, 422)


@bp.post("/<string:reference>/draft/obligations/<int:obligation_id>/remove")
@signed_in
def remove_obligation(reference: str, obligation_id: int):
    """Remove an obligation from the draft."""
    agreement = editable(reference)
    _obligation(agreement, obligation_id)
    with unit_of_work():
        drafting.remove_obligation(current_actor(), agreement, obligation_id, seen_lock_version=seen_lock_version())
    flash("The obligation has been removed.", "success")
    return redirect(url_for(".tasks", reference=agreement.reference) + "#obligations")
