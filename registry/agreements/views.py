"""HTML pages for agreements: the list, starting one, the agreement and its versions, and the workflow actions."""

from functools import partial

from flask import Blueprint, redirect, render_template, request, url_for

from registry.auth.decorators import current_actor, signed_in
from registry.authorities.queries import authority_named_in
from registry.core import events
from registry.core.clock import today
from registry.core.downloads import table_download
from registry.core.errors import PermissionDenied, ValidationFailed
from registry.core.form_views import handle_form, redirect_with_banner
from registry.core.forms import FormState, load_form, load_query
from registry.core.pagination import paginate
from registry.core.unit_of_work import unit_of_work
from registry.legal import queries as legal_queries
from registry.users.roles import Role

from . import content, diff, drafting, exports, next_steps, policies, queries, services, statuses, workflow
from .events import AgreementPageShown
from .pages import NAMES, changeable, draft_context, seen_lock_version, viewable
from .schemas import AgreementQuerySchema, NewAgreementSchema, NextReviewSchema, ReasonSchema
from .statuses import Action, Status

bp = Blueprint("agreements", __name__, url_prefix="/agreements")
# Every page names statuses with the same words and colours (macros/status.html).
bp.add_app_template_global(statuses.word, "status_word")
bp.add_app_template_global(statuses.colour, "status_colour")
bp.add_app_template_global(statuses.version_status, "version_status")



@bp.get("")
@signed_in
def index():
    """List the agreements I can see, with search, filters and sorting."""
    actor = current_actor()
    values, form = load_query(AgreementQuerySchema(), dates=("review_due_before",))
    number = values.pop("page")
    page = paginate(
        queries.agreement_search(actor, queries.AgreementFilters(**values)),
        number,
        per_page=25,
        options=queries.list_options(),
        count_limit=queries.COUNT_LIMIT,
    )
    return render_template(
        "agreements/index.html",
        page=page,
        form=form,
        filters=values,
        statuses=list(Status),
        parties=queries.parties_visible_to(actor),
        legal_bases=legal_queries.all_legal_bases(),
        pagination=page.govuk_links(".index", request.args),
        download_args={name: value for name, value in request.args.items() if name != "page"},
        can_start=any(Role(m.role).includes(Role.CONTRIBUTOR) for m in actor.memberships),
    ), form.http_status


@bp.get("/download.csv", defaults={"extension": "csv"})
@bp.get("/download.xlsx", defaults={"extension": "xlsx"})
@signed_in
def download(extension: str):
    """Download every agreement the list shows with its current filters and sorting, as CSV or Excel."""
    values, form = load_query(AgreementQuerySchema(), dates=("review_due_before",))
    if form.has_errors:
        # The list page shows what is wrong with the filters; a download would quietly drop them.
        return redirect(url_for(".index", **request.args))
    values.pop("page")
    search = queries.agreement_search(current_actor(), queries.AgreementFilters(**values))
    return table_download(extension, f"agreements-{today().isoformat()}", "Agreements", exports.LIST_HEADER, exports.list_rows(search))


def _lead_choices(actor):
    return [m.authority for m in actor.memberships if Role(m.role).includes(Role.CONTRIBUTOR)]


@bp.get("/new")
@signed_in
def new():
    """Show the form to start an agreement."""
    leads = _lead_choices(current_actor())
    values = {"lead_authority_code": leads[0].code} if len(leads) == 1 else {}
    return render_template("agreements/new.html", form=FormState(values), leads=leads, **NAMES)


@bp.post("/new")
@signed_in
def create():
    """Start an agreement and go to its draft."""
    actor = current_actor()
    return handle_form(
        NewAgreementSchema(),
        partial(_create_agreement, actor),
        saved=lambda agreement: redirect_with_banner(
            url_for("agreement_drafts.tasks", reference=agreement.reference),
            f"{agreement.reference} has been started. Fill in each part, then submit it for approval.",
        ),
        invalid=lambda form: (render_template("agreements/new.html", form=form, leads=_lead_choices(actor), **NAMES), 422),
    )


def _create_agreement(actor, data: dict):
    lead = authority_named_in("lead_authority_code", data["lead_authority_code"], required=drafting.LEAD_NEEDED)
    return drafting.create_agreement(actor, lead, title=data["title"], agreement_type=data["agreement_type"])


def _page_context(agreement):
    actor = current_actor()
    shown = agreement.shown_version
    pending = agreement.pending_version
    return {
        # Features above agreements add their panels (obligations: where they stand).
        "panels": events.emit(AgreementPageShown(actor, agreement)),
        "agreement": agreement,
        "document": content.document_of(shown),
        "shown": shown,
        "pending": pending,
        "actions": workflow.actions_for(actor, agreement),
        "approvable_for": policies.approvable_for(actor, pending) if pending and pending.is_frozen else [],
        "can_edit_draft": policies.can_edit_draft(actor, agreement),
        "change_request": next_steps.standing_change_request(agreement),
        "submitted_versions": [v for v in agreement.versions if v.number is not None],
        "Action": Action,
        **NAMES,
    }


@bp.get("/<string:reference>")
@signed_in
def show(reference: str):
    """Show an agreement: what it says now, its parties, flows and terms, versions and history."""
    return render_template("agreements/show.html", **_page_context(viewable(reference)))


@bp.get("/<string:reference>/versions/<int:number>")
@signed_in
def version(reference: str, number: int):
    """Show one submitted version as it was frozen, with its hash and approvals."""
    return _version_page("agreements/version.html", reference, number)


@bp.get("/<string:reference>/versions/<int:number>/print")
@signed_in
def print_version(reference: str, number: int):
    """Show a version laid out to print and file, with its hash and who approved it."""
    return _version_page("agreements/print.html", reference, number)


def _version_page(template: str, reference: str, number: int):
    agreement = viewable(reference)
    chosen = queries.version_by_number(agreement, number)
    return render_template(template, agreement=agreement, version=chosen, document=content.document_of(chosen), **NAMES)


@bp.get("/<string:reference>/compare")
@signed_in
def compare(reference: str):
    """Say in words what changed between two versions (default: the last two)."""
    agreement = viewable(reference)
    numbered = sorted(v.number for v in agreement.versions if v.number is not None)
    old_number = request.args.get("from", type=int) or (numbered[-2] if len(numbered) > 1 else None)
    new_number = request.args.get("to", type=int) or (numbered[-1] if numbered else None)
    if old_number is None or new_number is None:
        raise ValidationFailed.single("from", "This agreement has only one version so far")
    old = queries.version_by_number(agreement, old_number)
    new = queries.version_by_number(agreement, new_number)
    documents = content.document_of(old), content.document_of(new)
    return render_template(
        "agreements/compare.html", agreement=agreement, old=old, new=new, numbers=numbered,
        sentences=diff.differences(*documents, queries.words_for_codes(*documents)),
    )


def _done(reference: str, message: str):
    return redirect_with_banner(url_for(".show", reference=reference.upper()), message)


@bp.post("/<string:reference>/submit")
@signed_in
def submit(reference: str):
    """Submit the draft for approval, or show what still needs doing."""
    try:
        with unit_of_work():
            version = services.submit(current_actor(), changeable(reference), seen_lock_version=seen_lock_version())
            number = version.number
    except ValidationFailed as failure:
        page = {**draft_context(viewable(reference)), "problems": failure.fields, "form": FormState()}
        return render_template("agreement_drafts/tasks.html", **page), 422
    return _done(reference, f"Version {number} has been sent to the parties for approval.")


@bp.get("/<string:reference>/approve")
@signed_in
def approve_form(reference: str):
    """Ask the approver to confirm the version they approve, and for which authority."""
    agreement = viewable(reference)
    return _approve_page(agreement, FormState())


def _approve_page(agreement, form: FormState, status: int = 200):
    pending = agreement.pending_version
    authorities = policies.approvable_for(current_actor(), pending) if pending and pending.is_frozen else []
    if not authorities:
        raise PermissionDenied("There is nothing for you to approve on this agreement.")
    if len(authorities) == 1 and not form.value("authority_code"):
        form = FormState({"authority_code": authorities[0].code}, form.errors)
    return render_template(
        "agreements/approve.html", agreement=agreement, version=pending, document=content.document_of(pending),
        authorities=authorities, form=form, last_approved=next_steps.last_approved_version(agreement, authorities, pending),
        **NAMES,
    ), status


@bp.post("/<string:reference>/approve")
@signed_in
def approve(reference: str):
    """Approve the proposed version for one of my authorities."""
    # Which party, as the API decides: the one named, else the only one the approver may approve for.
    try:
        authority = authority_named_in("authority_code", request.form.get("authority_code"))
        with unit_of_work():
            approval = services.approve(
                current_actor(), changeable(reference), authority, content_hash=request.form.get("content_hash", ""),
                seen_lock_version=seen_lock_version(),
            )
            done = f"You approved version {approval.version.number} for {approval.authority.name}."
    except ValidationFailed as failure:
        return _approve_page(viewable(reference), FormState(request.form.to_dict()).with_failure(failure), 422)
    return _done(reference, done)


REASON_PAGES = {
    Action.REQUEST_CHANGES: ("Ask for changes", "Ask for changes", "What needs to change?"),
    Action.WITHDRAW: ("Withdraw the proposal", "Withdraw", "Why is it being withdrawn? (optional)"),
    Action.SUSPEND: ("Suspend the agreement", "Suspend", "Why is the sharing being suspended?"),
    Action.TERMINATE: ("Terminate the agreement", "Terminate", "Why is the agreement being terminated?"),
}


def _reason_page(agreement, action: Action, form: FormState, status: int = 200):
    heading, button, label = REASON_PAGES[action]
    return render_template(
        "agreements/reason.html", agreement=agreement, action=action, heading=heading, button=button, label=label,
        form=form, optional=action == Action.WITHDRAW,
    ), status


def _reason_route(action: Action, service, message: str):
    def form_view(reference: str):
        agreement = viewable(reference)
        if action not in workflow.actions_for(current_actor(), agreement):
            raise PermissionDenied("You cannot do that to this agreement now.")
        return _reason_page(agreement, action, FormState())

    def submit_view(reference: str):
        if action == Action.WITHDRAW:
            data, form = {"reason": request.form.get("reason", "").strip() or None}, FormState()
        else:
            data, form = load_form(ReasonSchema())
            if data is None:
                return _reason_page(viewable(reference), action, form, 422)
        try:
            with unit_of_work():
                service(current_actor(), changeable(reference), reason=data["reason"], seen_lock_version=seen_lock_version())
        except ValidationFailed as failure:
            return _reason_page(viewable(reference), action, form.with_failure(failure), 422)
        return _done(reference, message)

    path = "/<string:reference>/" + action.value.replace("_", "-")
    form_view.__name__, submit_view.__name__ = f"{action.value}_form", action.value
    form_view.__doc__ = f"Ask for the reason to {action.phrase} the agreement."
    submit_view.__doc__ = f"{action.label} the agreement, with the reason given."
    bp.get(path)(signed_in(form_view))
    bp.post(path)(signed_in(submit_view))


_reason_route(Action.REQUEST_CHANGES, services.request_changes, "You asked for changes. The lead authority will revise the draft.")
_reason_route(Action.WITHDRAW, services.withdraw, "The proposal has been withdrawn.")
_reason_route(Action.SUSPEND, services.suspend, "The agreement has been suspended. The parties must stop sharing until it resumes.")
_reason_route(Action.TERMINATE, services.terminate, "The agreement has been terminated.")


@bp.post("/<string:reference>/start-review")
@signed_in
def start_review(reference: str):
    """Start a review of the agreement now."""
    with unit_of_work():
        services.start_review(current_actor(), changeable(reference), seen_lock_version=seen_lock_version())
    return _done(reference, "The review has started. The lead authority's approver completes it.")


@bp.get("/<string:reference>/complete-review")
@signed_in
def complete_review_form(reference: str):
    """Ask for the next review date."""
    agreement = viewable(reference)
    if Action.COMPLETE_REVIEW not in workflow.actions_for(current_actor(), agreement):
        raise PermissionDenied("You cannot complete a review of this agreement now.")
    return render_template("agreements/complete_review.html", agreement=agreement, form=FormState())


@bp.post("/<string:reference>/complete-review")
@signed_in
def complete_review(reference: str):
    """Complete the review: the agreement continues until its next review."""
    return handle_form(
        NextReviewSchema(),
        partial(_complete_review, reference),
        dates=("next_review",),
        saved=lambda _: _done(reference, "The review is complete. The agreement continues."),
        invalid=lambda form: (render_template("agreements/complete_review.html", agreement=viewable(reference), form=form), 422),
    )


def _complete_review(reference: str, data: dict):
    return services.complete_review(
        current_actor(), changeable(reference), next_review=data["next_review"], seen_lock_version=seen_lock_version()
    )


@bp.post("/<string:reference>/amend")
@signed_in
def amend(reference: str):
    """Start an amendment: a new draft, while the version in force stays in force."""
    with unit_of_work():
        services.amend(current_actor(), changeable(reference), seen_lock_version=seen_lock_version())
    return redirect_with_banner(
        url_for("agreement_drafts.tasks", reference=reference.upper()),
        "An amendment has been started. The version in force stays in force until the amendment is approved.",
    )


@bp.post("/<string:reference>/resume")
@signed_in
def resume(reference: str):
    """Resume the agreement, or agree to resume it."""
    with unit_of_work():
        resumed = services.resume(current_actor(), changeable(reference), seen_lock_version=seen_lock_version()).status
    if resumed == Status.ACTIVE:
        return _done(reference, "The agreement has resumed.")
    return _done(reference, "You agreed to resume. The agreement resumes when every party has agreed.")


