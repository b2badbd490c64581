"""HTML pages for the outbox, for administrators: every email written, and one message as it was written and where it stands."""

from flask import Blueprint, make_response, render_template

from registry.auth.decorators import current_actor, system_role_required
from registry.core.errors import NotFound, PermissionDenied
from registry.core.forms import load_query
from registry.core.pagination import paginate
from registry.core.security import content_security_policy
from registry.users.roles import SystemRole

from . import emails, policies, queries, settings
from .models import MAILBOX, NOTIFY, SMTP
from .schemas import OutboxQuerySchema

bp = Blueprint("outbox", __name__)

CHANNEL_NAMES = {SMTP: "By SMTP", NOTIFY: "Through GOV.UK Notify", MAILBOX: "To the development mailbox"}


@bp.get("/outbox")
@system_role_required(SystemRole.ADMIN)
def index():
    """List every email written, newest first, with whether it went; optionally only those still to go."""
    if not policies.can_view_message(current_actor()):
        raise PermissionDenied("You do not have permission to see this page.")
    filters, form = load_query(OutboxQuerySchema())
    page = paginate(queries.outbox_messages(unsent_only=filters["unsent"]), filters["page"], per_page=50)
    return render_template(
        "outbox/index.html",
        page=page,
        pagination=page.govuk_links(".index", {"unsent": "true"} if filters["unsent"] else {}),
        unsent_only=filters["unsent"],
        mailings_waiting=queries.mailings_waiting(),
        form=form,
    ), form.http_status


@bp.get("/outbox/<int:message_id>")
@system_role_required(SystemRole.ADMIN)
def show(message_id: int):
    """Show one message: to whom, its subject, whether it went, its text, and its HTML as the recipient would see it."""
    message = queries.message(message_id)
    if not policies.can_view_message(current_actor(), message):
        raise PermissionDenied("You do not have permission to see this page.")
    if message is None:
        raise NotFound("There is no such message in the outbox.")
    host = settings.service_host()
    response = make_response(render_template(
        "outbox/message.html",
        message=message,
        text_shown=_text_shown(message),
        channel=CHANNEL_NAMES.get(message.sent_via or "", ""),
        message_id=emails.message_id(message, host),
        thread_root=emails.thread_root_id(message.thread, host) if message.thread else None,
    ))
    if message.html_body and _text_shown(message):
        # The HTML is shown in an iframe (srcdoc, sandbox with nothing allowed: no scripts, no
        # forms, an origin of its own), which inherits this page's policy. Only its styles are
        # let through, so that it looks as it will; its remote images and fonts stay blocked
        # ('self' only), so that reading it here tells no outside server it was read.
        response.headers["Content-Security-Policy"] = content_security_policy(style_src="'self' 'unsafe-inline'")
    return response


def _text_shown(message) -> bool:
    """Return whether the page shows the message's text: not a secret link for its recipient, outside the development mailbox."""
    if not message.holds_secret:
        return True
    # In development the mailbox is where emails arrive: its reader is the recipient.
    return message.sent_via == MAILBOX or (message.sent_at is None and settings.backend_name() == MAILBOX)
