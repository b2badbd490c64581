"""HTML pages for reminders: where the old reminders page went (reminders are chosen with the other notifications now)."""

from flask import Blueprint, redirect, url_for

from registry.auth.decorators import signed_in

bp = Blueprint("reminders", __name__)


@bp.get("/account/reminders")
@signed_in
def old_preferences():
    """Send the old reminders page's links and bookmarks on, for good, to the page where reminders are chosen now."""
    return redirect(url_for("notifications.preferences"), 301)
