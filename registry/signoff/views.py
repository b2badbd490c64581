"""HTML for sign-off: nudging a party from the agreement's page, and the sign-off speed pages."""

from flask import Blueprint, flash, redirect, render_template, request, url_for

from registry.agreements import access, queries as agreement_queries
from registry.auth.decorators import current_actor, signed_in, system_role_required
from registry.authorities.queries import authority_by_code, authority_named_in
from registry.core.clock import today
from registry.core.errors import PermissionDenied, ValidationFailed
from registry.core.forms import load_form
from registry.core.pagination import paginate
from registry.core.templating import format_date
from registry.core.unit_of_work import unit_of_work
from registry.users.roles import SystemRole

from . import policies, queries, services
from .schemas import AUTHORITY_NEEDED, NudgeInputSchema, PageQuerySchema

bp = Blueprint("signoff", __name__)

PER_PAGE = 25
# Counting stops here, as on the agreements list: past it, "more than 1,000" says enough and costs far less.
COUNT_LIMIT = 1000


@bp.post("/agreements/<string:reference>/nudges")
@signed_in
def nudge(reference: str):
    """Nudge a party still to approve the proposed version, and show the agreement again."""
    actor = current_actor()
    agreement = access.seen_by(actor, agreement_queries.agreement_by_reference(reference))
    authority = _party_to_nudge()
    with unit_of_work():
        nudged = services.nudge(actor, agreement, authority)
    told = f"{nudged.told} approver{'s' if nudged.told != 1 else ''}"
    flash(f"{nudged.authority.name} has been nudged: {told} asked to approve version {nudged.version_number}. "
          f"You can nudge it again from {format_date(nudged.next_nudge_on)}.", "success")
    return redirect(url_for("agreements.show", reference=nudged.reference, _anchor="sign-off"))


def _party_to_nudge():
    """Return the authority the Nudge button names, or refuse (422) saying what is wrong.

    The button sends a hidden code, so only a changed or broken form gets here: there is
    no field to show an error beside, and the error page says what the problem is.
    """
    data, form = load_form(NudgeInputSchema())
    try:
        if data is None:
            raise ValidationFailed({name: [message] for name, message in form.errors.items()})
        return authority_named_in("authority_code", data["authority_code"], required=AUTHORITY_NEEDED)
    except ValidationFailed as failure:
        raise ValidationFailed(failure.fields, next(iter(failure.fields.values()))[0]) from None


def _page_number():
    """Return the page asked for, and the form state that says what was wrong with the query, if anything."""
    values, form = load_form(PageQuerySchema(), request.args)
    return (values or PageQuerySchema().load({}))["page"], form


@bp.get("/authorities/<string:code>/sign-off")
@signed_in
def authority(code: str):
    """Show how fast an authority's agreements are signed off, and the agreements waiting for its approval, longest first."""
    found = authority_by_code(code)
    actor = current_actor()
    if not policies.can_view_signoff_speed(actor, found):
        raise PermissionDenied(f"Only people at {found.name}, auditors and administrators can see how fast it signs off.")
    number, form = _page_number()
    page = paginate(queries.waiting_parties(found.id), number, PER_PAGE, options=queries.waiting_options(),
                    count_limit=COUNT_LIMIT)
    return render_template(
        "signoff/speed.html",
        authority=found,
        speed=queries.signoff_speed(today(), found.id),
        page=page,
        waiting=queries.waiting(page.items, today()),
        pagination=page.govuk_pagination(lambda n: url_for(".authority", code=found.code, page=n)),
        sees_agreements=policies.sees_agreements_of(actor, found),
        sees_national=policies.can_view_national_signoff_speed(actor),
        today=today(),
        form=form,
    ), (422 if form.has_errors else 200)


@bp.get("/sign-off")
@system_role_required(SystemRole.ADMIN, SystemRole.AUDITOR)
def national():
    """Show how fast agreements are signed off across every authority, and the longest waits for an approval."""
    actor = current_actor()
    number, form = _page_number()
    page = paginate(queries.waiting_parties(), number, PER_PAGE, options=queries.waiting_options(), count_limit=COUNT_LIMIT)
    return render_template(
        "signoff/speed.html",
        authority=None,
        speed=queries.signoff_speed(today()),
        page=page,
        waiting=queries.waiting(page.items, today()),
        pagination=page.govuk_pagination(lambda n: url_for(".national", page=n)),
        sees_agreements=policies.sees_agreements_of(actor, None),
        sees_national=True,
        today=today(),
        form=form,
    ), (422 if form.has_errors else 200)
