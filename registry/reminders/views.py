"""HTML pages for reminders: the outbox for administrators, and each person's choice of reminders."""

from functools import partial

from flask import Blueprint, render_template, url_for

from registry.auth.decorators import current_actor, signed_in, system_role_required
from registry.core.errors import PermissionDenied
from registry.core.form_views import handle_form, redirect_with_banner
from registry.core.forms import FormState, load_query
from registry.core.pagination import paginate
from registry.outbox import queries as outbox_queries
from registry.users.roles import SystemRole

from . import policies, queries, services
from .queries import PREFERENCE_KINDS
from .schemas import OutboxQuerySchema, PreferencesInputSchema

bp = Blueprint("reminders", __name__)
# Nested, so that these pages (under /account) do not mark the Outbox link as current.
preferences_bp = Blueprint("preferences", __name__, url_prefix="/account/reminders")


@bp.get("/outbox")
@system_role_required(SystemRole.ADMIN)
def outbox():
    """List every email written, newest first, with whether it was sent; optionally only the unsent."""
    if not policies.can_view_outbox(current_actor()):
        raise PermissionDenied("You do not have permission to see this page.")
    filters, form = load_query(OutboxQuerySchema())
    page = paginate(outbox_queries.outbox_messages(unsent_only=filters["unsent"]), filters["page"], per_page=50)
    return render_template(
        "reminders/outbox.html",
        page=page,
        pagination=page.govuk_links(".outbox", {"unsent": "true"} if filters["unsent"] else {}),
        unsent_only=filters["unsent"],
        form=form,
    ), form.http_status


def _render_preferences(form: FormState, status: int = 200):
    actor = current_actor()
    return render_template(
        "reminders/preferences.html", form=form, authorities=queries.approver_authorities(actor), kinds=PREFERENCE_KINDS
    ), status


@preferences_bp.get("")
@signed_in
def edit():
    """Show which reminders you get, to change them."""
    preference = queries.preferences_of(current_actor())
    return _render_preferences(FormState({"reminders": [kind for kind in PREFERENCE_KINDS if getattr(preference, kind)]}))


@preferences_bp.post("")
@signed_in
def update():
    """Save which reminders you get, or show what is wrong with the form."""
    return handle_form(
        PreferencesInputSchema(),
        partial(services.set_preferences, current_actor()),
        anchors={"reminders": "reminders"},
        saved=lambda _: redirect_with_banner(url_for(".edit"), "Your reminder choices have been saved."),
        invalid=lambda form: _render_preferences(form, status=422),
    )


bp.register_blueprint(preferences_bp)
