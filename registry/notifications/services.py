"""Use cases for a person's notifications: read them, choose how to hear of each kind, and the daily digest."""

from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from registry.auditlog.recording import record
from registry.core.actors import Actor
from registry.core.clock import UK_TIME
from registry.core.db import utcnow
from registry.core.errors import NotFound, PermissionDenied, ValidationFailed
from registry.core.links import external_url, path_for
from registry.extensions import db
from registry.outbox import services as outbox
from registry.users.models import User

from . import policies, queries
from .delivery import Message, absolute, email_html, email_text
from .kinds import BY_NAME
from .models import Notification, NotificationPreference

# Marking notifications read is not audited: it changes nothing anyone else relies on, and
# the log, kept for ever, would otherwise record when each person read what.


def mark_read(actor: Actor, notification_id: int) -> Notification:
    """Mark one of the actor's notifications read (reading it again changes nothing)."""
    if not policies.can_read_notifications(actor):
        raise PermissionDenied("Only a signed-in person has notifications.")
    notification = queries.notification_of(actor, notification_id)
    if notification is None:
        raise NotFound("You have no such notification.")
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()
    return notification


def mark_all_read(actor: Actor) -> int:
    """Mark every unread notification of the actor read; return how many were unread."""
    if not policies.can_read_notifications(actor):
        raise PermissionDenied("Only a signed-in person has notifications.")
    result = db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def set_preferences(actor: Actor, choices: dict[str, str]) -> dict[str, str]:
    """Record how the actor wants to hear of each kind of event; return their preferences now."""
    if not policies.can_read_notifications(actor):
        raise PermissionDenied("Only a signed-in person can choose how they hear of things.")
    unknown = sorted(set(choices) - set(BY_NAME))
    if unknown:
        raise ValidationFailed.single(unknown[0], "There is no such kind of notification")
    for kind, delivery in choices.items():
        if delivery not in BY_NAME[kind].choices:
            raise ValidationFailed.single(kind, f"Choose how you want to hear of {BY_NAME[kind].label.lower()}")
    before = queries.preferences_of(actor)
    changes = {kind: {"from": before[kind], "to": delivery} for kind, delivery in choices.items() if before[kind] != delivery}
    for kind, change in changes.items():
        preference = db.session.get(NotificationPreference, (actor.id, kind))
        if preference is None:
            db.session.add(NotificationPreference(user_id=actor.id, kind=kind, delivery=change["to"]))
        else:
            preference.delivery = change["to"]
    if changes:
        db.session.flush()
        record(actor, "notification.preferences", "user", actor.id, {"changes": changes})
    return {**before, **{kind: change["to"] for kind, change in changes.items()}}


def digest_due(now: datetime) -> bool:
    """Return True once the day's digest hour (NOTIFICATIONS_DIGEST_HOUR, UK time) has come."""
    return now.astimezone(UK_TIME).hour >= int(current_app.config["NOTIFICATIONS_DIGEST_HOUR"])


def _digest(notifications: list[Notification], day: str) -> Message:
    count = len(notifications)
    return Message(
        kind=notifications[0].kind,
        key=f"digest:{day}",
        title=f"Your daily summary: {count} new notification{'s' if count != 1 else ''}",
        paragraphs=tuple(f"{n.title}\n{absolute(n.link)}" for n in notifications),
        link=path_for("notifications.inbox"),
        action="See all your notifications",
        why="You get this once a day because you chose a daily summary for some kinds of notification.",
    )


def send_digests(actor: Actor, now: datetime) -> int:
    """Write each person's daily digest into the outbox, once a day from the configured hour; return how many.

    A digest lists what waited for it, and those notifications then wait no longer. Its
    key names the person and the day, so running this again the same day writes nothing.
    """
    if not policies.can_send_digests(actor):
        raise PermissionDenied("Only the scheduled job sends the daily digests.")
    if not digest_due(now):
        return 0
    day = now.astimezone(UK_TIME).date().isoformat()
    written = 0
    for user_id, notifications in queries.digests_waiting().items():
        user = db.session.get(User, user_id)
        if user is None or not user.active:
            continue
        message = _digest(notifications, day)
        key = f"digest:{day}:user-{user_id}"
        message_id = outbox.enqueue(
            key=key, user_id=user_id, to_address=user.email, subject=message.title,
            body=email_text(message), html_body=email_html(message),
            unsubscribe_url=external_url("notifications.preferences"),
        )
        if message_id is None:
            continue  # today's digest went already: these wait for tomorrow's
        for notification in notifications:
            notification.digest_waiting = False
        written += 1
        record(actor, "notification.digest", "outbox_message", message_id, {"recipient": user_id, "day": day,
                                                                            "notifications": [n.id for n in notifications]})
    db.session.flush()
    return written

