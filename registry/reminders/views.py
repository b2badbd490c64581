"""HTML pages for reminders: the outbox for administrators, and where the old reminders page went."""

from flask import Blueprint, redirect, render_template, url_for

from registry.auth.decorators import current_actor, signed_in, system_role_required
from registry.core.errors import PermissionDenied
from registry.core.forms import load_query
from registry.core.pagination import paginate
from registry.outbox import queries as outbox_queries
from registry.users.roles import SystemRole

from . import policies
from .schemas import OutboxQuerySchema

bp = Blueprint("reminders", __name__)


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


@bp.get("/account/reminders")
@signed_in
def old_preferences():
    """Send the old reminders page's links and bookmarks on, for good, to the page where reminders are chosen now."""
    return redirect(url_for("notifications.preferences"), 301)
