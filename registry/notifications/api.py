"""The JSON API for notifications: my notifications, newest first, and marking them read."""

from flask.views import MethodView
from flask_smorest import Blueprint

from registry.auth.bearer import api_actor, token_required
from registry.core.pagination import paginate
from registry.core.unit_of_work import unit_of_work

from . import queries, services
from .schemas import InboxPageSchema, InboxQuerySchema, MarkedReadSchema, NotificationSchema, PreferencesInputSchema, PreferencesSchema

blp = Blueprint(
    "notifications_api", __name__, url_prefix="/api/v1/notifications", description="My notifications: what needs me, and what happened."
)

PER_PAGE = 25


@blp.route("")
class Inbox(MethodView):
    @token_required(blp)
    @blp.arguments(InboxQuerySchema, location="query")
    @blp.response(200, InboxPageSchema)
    def get(self, args):
        """List my notifications, newest first, with how many are unread; `unread=true` for only the unread."""
        actor = api_actor()
        page = paginate(queries.inbox(actor, unread_only=args["unread"]), args["page"], PER_PAGE)
        return {"items": page.items, "total": page.total, "number": page.number, "pages": page.pages,
                "unread": queries.unread_count(actor)}


@blp.route("/<int:notification_id>/read")
class MarkRead(MethodView):
    @token_required(blp, errors=(404,))
    @blp.response(200, NotificationSchema)
    def post(self, notification_id: int):
        """Mark one of my notifications read (marking it again changes nothing)."""
        with unit_of_work(keep_loaded=True):
            return services.mark_read(api_actor(), notification_id)


@blp.route("/read-all")
class MarkAllRead(MethodView):
    @token_required(blp)
    @blp.response(200, MarkedReadSchema)
    def post(self):
        """Mark every one of my notifications read; say how many were unread."""
        with unit_of_work():
            return {"marked_read": services.mark_all_read(api_actor())}


@blp.route("/preferences")
class Preferences(MethodView):
    @token_required(blp)
    @blp.response(200, PreferencesSchema)
    def get(self):
        """Show how I hear of each kind of event: email, digest, inbox (or, for reminders, off)."""
        return queries.preferences_of(api_actor())

    @token_required(blp)
    @blp.arguments(PreferencesInputSchema)
    @blp.response(200, PreferencesSchema)
    def put(self, data):
        """Choose how I hear of some kinds of event; kinds left out keep their choice."""
        with unit_of_work():
            return services.set_preferences(api_actor(), data)
