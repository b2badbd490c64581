"""Use cases for calendar feeds: create one (its secret shown once), replace it, stop it."""

import sqlalchemy as sa

from registry.auditlog.recording import record
from registry.authorities.models import Authority
from registry.core.actors import Actor
from registry.core.db import utcnow
from registry.core.errors import Conflict, PermissionDenied
from registry.core.tokens import new_secret, secret_hash
from registry.extensions import db
from registry.users.events import UserDeactivated
from registry.users.models import User

from . import policies, queries
from .models import CalendarFeed

# Makes a leaked feed address easy to recognise, e.g. by secret scanners.
SECRET_PREFIX = "dsrcal_"


def create_feed(actor: Actor, authority: Authority) -> tuple[CalendarFeed, str]:
    """Create the actor's feed of an authority's dates; return it with the secret, which is never shown again."""
    if not policies.can_create_feed(actor, authority):
        raise PermissionDenied("You can only have a calendar feed of an authority you belong to.")
    _one_at_a_time(actor)
    if queries.live_feed_of(actor, authority) is not None:
        raise Conflict(f"You already have a calendar feed of {authority.name}. Regenerate it to get a new address.")
    return _create(actor, authority)


def regenerate_feed(actor: Actor, feed: CalendarFeed) -> tuple[CalendarFeed, str]:
    """Stop a feed and create its replacement; return the new feed with its secret, shown once."""
    if not policies.can_regenerate_feed(actor, feed):
        raise PermissionDenied("You can only regenerate your own calendar feed of an authority you belong to.")
    _one_at_a_time(actor)
    _revoke(actor, feed)
    if queries.live_feed_of(actor, feed.authority) is not None:
        raise Conflict(f"You already have another calendar feed of {feed.authority.name}. Regenerate that one instead.")
    return _create(actor, feed.authority, replaces=feed)


def revoke_feed(actor: Actor, feed: CalendarFeed) -> CalendarFeed:
    """Stop a feed: its address answers 404 from now on."""
    if not policies.can_revoke_feed(actor, feed):
        raise PermissionDenied("You can only stop your own calendar feeds.")
    _revoke(actor, feed)
    return feed


def _one_at_a_time(actor: Actor) -> None:
    """Queue on the person's row, so two clicks at the same moment cannot both make a feed."""
    db.session.execute(sa.select(User.id).where(User.id == actor.id).with_for_update())


def _create(actor: Actor, authority: Authority, replaces: CalendarFeed | None = None) -> tuple[CalendarFeed, str]:
    secret = new_secret(SECRET_PREFIX)
    feed = CalendarFeed(user_id=actor.id, authority_id=authority.id, token_hash=secret_hash(secret))
    db.session.add(feed)
    db.session.flush()
    data = {"authority": authority.code}
    if replaces is not None:
        data["replaces"] = replaces.id
    # Never the secret, nor its hash: the log is public to auditors and can never be erased.
    record(actor, "calendar_feed.create", "calendar_feed", feed.id, data, authorities=[authority])
    return feed, secret


def _revoke(actor: Actor, feed: CalendarFeed) -> None:
    # Conditional, so that of two requests stopping one feed at once, only one does.
    stopped = db.session.execute(
        sa.update(CalendarFeed)
        .where(CalendarFeed.id == feed.id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if not stopped:
        raise Conflict("This calendar feed has already been stopped.")
    db.session.flush()
    authority = feed.authority
    record(actor, "calendar_feed.revoke", "calendar_feed", feed.id, {"authority": authority.code}, authorities=[authority])


def stop_feeds_of_deactivated(event: UserDeactivated) -> dict:
    """Stop for good every calendar address of a deactivated account; report how many, for its audit entry."""
    stopped = db.session.execute(
        sa.update(CalendarFeed)
        .where(CalendarFeed.user_id == event.user.id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=event.at)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    return {"calendar_feeds_stopped": stopped}
