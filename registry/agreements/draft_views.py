"""HTML pages for writing an agreement's draft: a task list, one short form per section, parties and flows."""

from functools import partial

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from registry.auth.decorators import current_actor, signed_in
from registry.authorities.queries import authorities_to_choose_from, authority_named_in
from registry.core.clock import today
from registry.core.errors import NotFound, PermissionDenied
from registry.core.form_views import handle_form, redirect_with_banner
from registry.core.forms import FormState
from registry.core.unit_of_work import unit_of_work
from registry.datasets import queries as dataset_queries
from registry.legal import queries as legal_queries

from . import access, drafting, policies, queries, rules
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
    try:
        agreement = viewable(reference)  # read once: the page itself uses what this read
    except (NotFound, PermissionDenied):
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


def _locked(reference: str):
    """Return the agreement locked, its draft read under the lock, if the signed-in person may edit it.

    Inside the request's unit of work: the use case then reads nothing again (access.py).
    """
    return access.editable_under_lock(current_actor(), reference)


def _on_locked(reference: str, use_case, item: tuple, data: dict):
    return use_case(current_actor(), _locked(reference), *item, data, seen_lock_version=seen_lock_version())


def _save(reference: str, schema, use_case, *item, page, message, anchor: str = "", dates: tuple[str, ...] = ()):
    """Run a drafting use case on a form posted from a draft page, then go back to the task list saying message(result).

    The use case is called as the draft's use cases take it (as the API calls them too):
    use_case(actor, agreement, *item, data, seen_lock_version=…), where item names what it
    changes (a section, a flow's id), if anything.
    The agreement is locked and read once, for the use case. `page(agreement, form,
    status=…, conflict=…)` shows the page again: with what is wrong (422), or, when someone
    saved the draft after the form was made, with the draft as it is now and who changed it (409).
    """
    return handle_form(
        schema,
        partial(_on_locked, reference, use_case, item),
        dates=dates,
        saved=lambda result: _back_to_tasks(reference, message(result), anchor),
        invalid=lambda form: page(editable(reference), form, status=422),
        refusals={StaleAgreement: lambda form: _stale(reference, form, page)},
    )


def _back_to_tasks(reference: str, message: str, anchor: str = ""):
    return redirect_with_banner(url_for(".tasks", reference=reference.upper()) + anchor, message)


def _stale(reference: str, form: FormState, page):
    """Show the page again with the person's input kept, the agreement as it is now, and who changed it since the form was made.

    The form then carries the current lock version, so sending it again saves theirs over it.
    """
    agreement = queries.agreement_for_page(reference)
    changed_by = queries.last_change(agreement)
    return page(agreement, form, status=409, conflict={"differences": None, "by": changed_by.name, "at": changed_by.time})


def _section_page(agreement, form: FormState, section: str, *, status: int = 200, conflict: dict | None = None):
    title, schema, dates = _section(section)
    if conflict is not None:
        # A section page also shows what is saved now, where it differs from what the person sent.
        saved = _section_values(agreement.pending_version, schema)
        differences = [
            (name.replace("_", " ").capitalize(), _shown(saved, name, dates) or "Nothing")
            for name in schema().load_fields
            if _shown(saved, name, dates) != _shown(form.values, name, dates)
        ]
        conflict = {**conflict, "differences": differences}
    return render_template(
        f"agreement_drafts/{section}.html", agreement=agreement, title=title, form=form, conflict=conflict, **NAMES
    ), status


def _shown(values: dict, name: str, dates: tuple[str, ...]) -> str:
    """Return a section field's value as the form holds it, in one string to compare and show."""
    if name in dates:
        parts = [str(values.get(f"{name}-{part}", "")).strip() for part in ("day", "month", "year")]
        return "/".join(parts) if any(parts) else ""
    value = str(values.get(name, "")).strip()
    return {"true": "Yes", "false": "No"}.get(value, value)


@bp.get("/<string:reference>/draft/<string:section>")
@signed_in
def edit_section(reference: str, section: str):
    """Show one section of the draft to edit."""
    _, schema, _ = _section(section)
    agreement = editable(reference)
    return _section_page(agreement, FormState(_section_values(agreement.pending_version, schema)), section)


@bp.post("/<string:reference>/draft/<string:section>")
@signed_in
def save_section(reference: str, section: str):
    """Save one section of the draft, or show what is wrong with it."""
    title, schema, dates = _section(section)
    return _save(
        reference, schema(), drafting.update_section, section,
        dates=dates, page=partial(_section_page, section=section), message=lambda _: f"{title} saved.",
    )


def _party_page(agreement, form: FormState, party_id: int | None = None, *, status: int = 200, conflict: dict | None = None):
    party = queries.draft_party(agreement.pending_version, party_id) if party_id is not None else None
    # A new party is chosen from the authorities that are not parties already.
    authorities = authorities_to_choose_from(
        today(), leaving_out={p.authority_id for p in agreement.pending_version.parties}) if party is None else []
    return render_template(
        "agreement_drafts/party.html", agreement=agreement, party=party, form=form, authorities=authorities,
        legal_bases=legal_queries.legal_bases_by_kind(), kinds_asked_for=rules.kinds_of_basis_asked_for(party),
        conflict=conflict, **NAMES,
    ), status


@bp.get("/<string:reference>/draft/parties/new")
@signed_in
def new_party(reference: str):
    """Show the form to add a party."""
    return _party_page(editable(reference), FormState({"sharing_role": "both", "controller_role": "controller"}))


@bp.post("/<string:reference>/draft/parties/new")
@signed_in
def add_party(reference: str):
    """Add a party to the draft, or show what is wrong."""
    return _save(
        reference, PartyInputSchema(), _add_party, page=_party_page,
        message=lambda party: f"{party.authority.name} has been added as a party.",
    )


def _add_party(actor, agreement, data: dict, *, seen_lock_version: int | None):
    # The page offers a list to choose from, where the API asks for a code.
    authority = authority_named_in("authority_code", data["authority_code"], required="Choose which authority is the party")
    return drafting.add_party(actor, agreement, authority, **_roles_and_bases(data), seen_lock_version=seen_lock_version)


@bp.get("/<string:reference>/draft/parties/<int:party_id>")
@signed_in
def edit_party(reference: str, party_id: int):
    """Show a party's roles and legal bases to change."""
    agreement = editable(reference)
    party = queries.draft_party(agreement.pending_version, party_id)
    values = {"sharing_role": party.sharing_role, "controller_role": party.controller_role,
              "legal_bases": [b.code for b in party.legal_bases]}
    return _party_page(agreement, FormState(values), party_id)


@bp.post("/<string:reference>/draft/parties/<int:party_id>")
@signed_in
def update_party(reference: str, party_id: int):
    """Save a party's roles and legal bases, or show what is wrong."""
    return _save(
        reference, PartyInputSchema(), _update_party, party_id,
        page=partial(_party_page, party_id=party_id), message=lambda party: f"{party.authority.name}'s part has been saved.",
    )


def _update_party(actor, agreement, party_id: int, data: dict, *, seen_lock_version: int | None):
    return drafting.update_party(actor, agreement, party_id, **_roles_and_bases(data), seen_lock_version=seen_lock_version)


def _roles_and_bases(data: dict) -> dict:
    """Return the party's roles and legal bases as the form gives them, as the drafting use cases take them."""
    return {name: data[name] for name in ("sharing_role", "controller_role", "legal_bases")}


@bp.post("/<string:reference>/draft/parties/<int:party_id>/remove")
@signed_in
def remove_party(reference: str, party_id: int):
    """Remove a party (and its flows) from the draft."""
    return _remove(
        reference, drafting.remove_party, party_id,
        lambda agreement: f"{queries.draft_party(agreement.pending_version, party_id).authority.name} is no longer a party to the draft.",
    )


def _remove(reference: str, use_case, item_id: int, message, anchor: str = ""):
    """Remove an item from the draft (locked and read once), then go back to the task list saying message(agreement) as it was."""
    with unit_of_work():
        agreement = _locked(reference)
        said = message(agreement)
        use_case(current_actor(), agreement, item_id, seen_lock_version=seen_lock_version())
    return _back_to_tasks(reference, said, anchor)


def _flow_page(agreement, form: FormState, flow_id: int | None = None, *, dataset=None, status: int = 200,
               conflict: dict | None = None):
    flow = queries.draft_flow(agreement.pending_version, flow_id) if flow_id is not None else None
    return render_template(
        "agreement_drafts/flow.html", agreement=agreement, flow=flow, form=form, dataset=flow.dataset if flow else dataset,
        datasets=dataset_queries.datasets_of_authorities([p.authority_id for p in agreement.pending_version.parties]), conflict=conflict, **NAMES,
    ), status


@bp.get("/<string:reference>/draft/flows/new")
@signed_in
def new_flow(reference: str):
    """Show the first step of adding a flow: who sends what to whom (or, with a dataset chosen, the items)."""
    agreement = editable(reference)
    dataset = dataset_queries.dataset_or_none(request.args.get("dataset_id", type=int))
    values = {k: v for k, v in request.args.items() if k in ("from_party_id", "to_party_id", "dataset_id")}
    return _flow_page(agreement, FormState(values), dataset=dataset)


@bp.post("/<string:reference>/draft/flows/new")
@signed_in
def add_flow(reference: str):
    """Add a flow to the draft, or show what is wrong."""
    return _save(
        reference, FlowInputSchema(), drafting.add_flow,
        page=partial(_flow_page, dataset=dataset_queries.dataset_or_none(request.form.get("dataset_id", type=int))),
        message=lambda _: "The flow has been added.",
    )


@bp.get("/<string:reference>/draft/flows/<int:flow_id>")
@signed_in
def edit_flow(reference: str, flow_id: int):
    """Show a flow to change."""
    agreement = editable(reference)
    flow = queries.draft_flow(agreement.pending_version, flow_id)
    values = {
        "from_party_id": flow.from_party_id, "to_party_id": flow.to_party_id, "dataset_id": flow.dataset_id,
        "data_item_ids": [str(item.id) for item in flow.data_items], "frequency": flow.frequency,
        "method": flow.method, "volume": flow.volume,
    }
    return _flow_page(agreement, FormState(values), flow_id)


@bp.post("/<string:reference>/draft/flows/<int:flow_id>")
@signed_in
def update_flow(reference: str, flow_id: int):
    """Save a flow, or show what is wrong."""
    return _save(
        reference, FlowInputSchema(), drafting.update_flow, flow_id,
        page=partial(_flow_page, flow_id=flow_id), message=lambda _: "The flow has been saved.",
    )


@bp.post("/<string:reference>/draft/flows/<int:flow_id>/remove")
@signed_in
def remove_flow(reference: str, flow_id: int):
    """Remove a flow from the draft."""
    return _remove(reference, drafting.remove_flow, flow_id, lambda _: "The flow has been removed.")


def _obligation_page(agreement, form: FormState, obligation_id: int | None = None, *, status: int = 200,
                     conflict: dict | None = None):
    obligation = queries.draft_obligation(agreement.pending_version, obligation_id) if obligation_id is not None else None
    return render_template(
        "agreement_drafts/obligation.html", agreement=agreement, obligation=obligation, form=form, conflict=conflict, **NAMES,
    ), status


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
    return _obligation_page(editable(reference), FormState({"owed_to_party_id": ""}))


@bp.post("/<string:reference>/draft/obligations/new")
@signed_in
def add_obligation(reference: str):
    """Add an obligation to the draft, or show what is wrong."""
    return _save(
        reference, ObligationInputSchema(), drafting.add_obligation,
        dates=("due_date",), page=_obligation_page, message=lambda _: "The obligation has been added.", anchor="#obligations",
    )


@bp.get("/<string:reference>/draft/obligations/<int:obligation_id>")
@signed_in
def edit_obligation(reference: str, obligation_id: int):
    """Show an obligation to change."""
    agreement = editable(reference)
    obligation = queries.draft_obligation(agreement.pending_version, obligation_id)
    return _obligation_page(agreement, FormState(_obligation_values(obligation)), obligation_id)


@bp.post("/<string:reference>/draft/obligations/<int:obligation_id>")
@signed_in
def update_obligation(reference: str, obligation_id: int):
    """Save an obligation, or show what is wrong."""
    return _save(
        reference, ObligationInputSchema(), drafting.update_obligation, obligation_id,
        dates=("due_date",), page=partial(_obligation_page, obligation_id=obligation_id),
        message=lambda _: "The obligation has been saved.", anchor="#obligations",
    )


@bp.post("/<string:reference>/draft/obligations/<int:obligation_id>/remove")
@signed_in
def remove_obligation(reference: str, obligation_id: int):
    """Remove an obligation from the draft."""
    return _remove(reference, drafting.remove_obligation, obligation_id, lambda _: "The obligation has been removed.", "#obligations")
