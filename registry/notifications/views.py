"""HTML pages for notifications: a person's inbox, and how they choose to hear of each kind of event."""

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_login import current_user

from registry.auth.decorators import current_actor, signed_in
from registry.core.forms import FormState, load_form
from registry.core.pagination import paginate
from registry.core.unit_of_work import unit_of_work

from . import queries, services
from .kinds import DELIVERIES, KINDS
from .schemas import InboxQuerySchema, PreferencesInputSchema

bp = Blueprint("notifications", __name__)

PER_PAGE = 25


@bp.get("/notifications")
@signed_in
def inbox():
    """List my notifications, newest first, unread ones marked; optionally only the unread."""
    filters, form = load_form(InboxQuerySchema(), request.args)
    if filters is None:
        filters = InboxQuerySchema().load({})
    actor = current_actor()
    page = paginate(queries.inbox(actor, unread_only=filters["unread"]), filters["page"], PER_PAGE)
    query_args = {"unread": "true"} if filters["unread"] else {}
    return render_template(
        "notifications/inbox.html",
        page=page,
        pagination=page.govuk_pagination(lambda number: url_for(".inbox", **query_args, page=number)),
        unread_only=filters["unread"],
        form=form,
    ), (422 if form.has_errors else 200)


@bp.get("/notifications/<int:notification_id>")
@signed_in
def open_notification(notification_id: int):
    """Mark a notification read and go to the page it is about."""
    with unit_of_work():
        notification = services.mark_read(current_actor(), notification_id)
    return redirect(notification.link)


@bp.post("/notifications/<int:notification_id>/read")
@signed_in
def mark_read(notification_id: int):
    """Mark one notification read, and show the inbox again."""
    with unit_of_work():
        services.mark_read(current_actor(), notification_id)
    return redirect(url_for(".inbox"))


@bp.post("/notifications/read-all")
@signed_in
def mark_all_read():
    """Mark every notification read, and show the inbox again."""
    with unit_of_work():
        count = services.mark_all_read(current_actor())
    flash("Every notification is marked as read." if count else "You had no unread notifications.", "success")
    return redirect(url_for(".inbox"))


def _preferences_page(form: FormState, status: int = 200):
    groups = [(kind, [(choice, DELIVERIES[choice]) for choice in kind.choices]) for kind in KINDS]
    return render_template("notifications/preferences.html", form=form, groups=groups), status


@bp.get("/account/notifications")
@signed_in
def preferences():
    """Show how I hear of each kind of event, to change it."""
    return _preferences_page(FormState(queries.preferences_of(current_actor())))


@bp.post("/account/notifications")
@signed_in
def update_preferences():
    """Save how I hear of each kind of event, or show what is wrong."""
    data, form = load_form(PreferencesInputSchema())
    if data is None:
        return _preferences_page(form, 422)
    with unit_of_work():
        services.set_preferences(current_actor(), data)
    flash("Your choices have been saved.", "success")
    return redirect(url_for(".preferences"))


def _unread_notifications() -> int:
    """Return how many notifications the signed-in person has not read (0 when nobody is signed in)."""
    if not current_user.is_authenticated:
        return 0
    return queries.unread_count(current_user)


def init_app(app: Flask) -> None:
    """Give every page the signed-in person's unread count, for the header."""
    app.add_template_global(_unread_notifications, "unread_notifications")
