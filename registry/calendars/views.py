"""HTML pages to manage your calendar feeds, and the feeds themselves for calendar apps."""

import logging

from flask import Blueprint, current_app, make_response, render_template, url_for
from werkzeug.exceptions import InternalServerError

from registry.auth.decorators import current_actor, signed_in
from registry.authorities.queries import authority_by_code
from registry.core.authz import public
from registry.core.clock import today
from registry.core.db import utcnow
from registry.core.form_views import redirect_with_banner
from registry.core.links import external_url
from registry.core.unit_of_work import unit_of_work

from . import queries, services
from .feed import build_calendar

log = logging.getLogger(__name__)

bp = Blueprint("calendars", __name__)


@bp.get("/account/calendars")
@signed_in
def index():
    """Show your authorities, each with its calendar feed or a button to create one."""
    actor = current_actor()
    return render_template(
        "calendars/index.html", memberships=actor.memberships, feeds=queries.live_feeds_of(actor)
    )


@bp.post("/account/calendars/<string:authority_code>/feed")
@signed_in
def create(authority_code: str):
    """Create a feed of one of your authorities and show its address, once."""
    authority = authority_by_code(authority_code)
    with unit_of_work():
        feed, secret = services.create_feed(current_actor(), authority)
    return _show_address(feed, secret, replaced=False)


@bp.post("/account/calendars/feeds/<int:feed_id>/regenerate")
@signed_in
def regenerate(feed_id: int):
    """Replace a feed's address with a new one, shown once; the old address stops working."""
    feed = queries.feed_of(current_actor(), feed_id)
    with unit_of_work():
        new_feed, secret = services.regenerate_feed(current_actor(), feed)
    return _show_address(new_feed, secret, replaced=True)


@bp.post("/account/calendars/feeds/<int:feed_id>/stop")
@signed_in
def stop(feed_id: int):
    """Stop a feed: its address no longer works."""
    feed = queries.feed_of(current_actor(), feed_id)
    with unit_of_work():
        services.revoke_feed(current_actor(), feed)
    return redirect_with_banner(
        url_for(".index"), f"Your calendar feed of {feed.authority.name} has been stopped. Its address no longer works."
    )


def _show_address(feed, secret: str, *, replaced: bool):
    # Rendered, not redirected: the secret must not travel through the session cookie.
    return render_template(
        "calendars/created.html",
        feed=feed,
        address=external_url("calendars.feed", token=secret),
        replaced=replaced,
    )


@bp.get("/calendars/<string:token>.ics")
@public
def feed(token: str):
    """Serve an authority's review and obligation dates as iCalendar, to whoever holds the secret address."""
    # Public to the session check only: calendar apps cannot sign in, so the secret in the
    # address is the credential, checked here against its hash.
    calendar_feed = queries.live_feed_for_secret(token)
    authority = calendar_feed.authority
    try:
        body = build_calendar(
            authority,
            queries.feed_dates(authority, today()),
            host=current_app.config["SERVICE_HOST"],
            agreement_url=lambda agreement: external_url("agreements.show", reference=agreement.reference),
            now=utcnow(),
            today=today(),
        )
    except Exception:
        # The app's handler of unexpected errors logs the path, which here holds the secret.
        log.exception("Building calendar feed %s failed", calendar_feed.id)
        raise InternalServerError() from None
    response = make_response(body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{authority.code.lower()}-data-sharing.ics"'
    # Private: the feed belongs to one person; five minutes spares the database a burst of refreshes.
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
