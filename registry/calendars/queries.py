"""Finding calendar feeds by owner or by secret, and the dates an authority's feed holds."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from registry.agreements.models import Agreement
from registry.authorities.models import Authority
from registry.core.errors import NotFound
from registry.core.lookup import get_or_not_found
from registry.core.tokens import secret_hash
from registry.extensions import db
from registry.obligations.queries import ObligationDue, obligations_in_force, reviews_due
from registry.users.models import User

from . import policies
from .models import CalendarFeed

# Secrets are 43 characters with a short prefix; anything much longer is not one of ours.
LONGEST_SECRET = 100
NO_SUCH_FEED = "There is no calendar feed at this address. It may have been stopped or replaced."


@dataclass(frozen=True)
class FeedDates:
    """What an authority's calendar shows: reviews of its agreements in force, and obligations it owes or is owed."""

    reviews: list[Agreement]
    obligations: list[ObligationDue]


def live_feed_for_secret(secret: str) -> CalendarFeed:
    """Return the feed whose address holds this secret, if it may still be served, or raise NotFound."""
    if len(secret) > LONGEST_SECRET:
        raise NotFound(NO_SUCH_FEED)
    feed = db.session.scalar(
        sa.select(CalendarFeed)
        .where(CalendarFeed.token_hash == secret_hash(secret), CalendarFeed.revoked_at.is_(None))
        .options(joinedload(CalendarFeed.authority), joinedload(CalendarFeed.user).selectinload(User.memberships))
    )
    if feed is None or not policies.is_live(feed):
        raise NotFound(NO_SUCH_FEED)
    return feed


def live_feeds_of(user: User) -> dict[int, CalendarFeed]:
    """Return the user's feeds that still work, by authority id."""
    feeds = db.session.scalars(
        sa.select(CalendarFeed)
        .where(CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None))
        .order_by(CalendarFeed.id)
        .options(selectinload(CalendarFeed.user).selectinload(User.memberships))
    )
    return {feed.authority_id: feed for feed in feeds if policies.is_live(feed)}


def live_feed_of(user: User, authority: Authority) -> CalendarFeed | None:
    """Return the user's working feed of the authority, if they have one."""
    return live_feeds_of(user).get(authority.id)


def feed_of(user: User, feed_id: int) -> CalendarFeed:
    """Return one of the user's feeds, or raise NotFound."""
    return get_or_not_found(CalendarFeed, feed_id, "There is no such calendar feed.", belongs=lambda f: f.user_id == user.id)


def feed_dates(authority: Authority, today: date) -> FeedDates:
    """Return the review dates and next obligation due dates that the authority's calendar shows."""
    reviews = reviews_due(today, involving=[authority.id])
    obligations = [
        due
        for due in obligations_in_force(today, involving=[authority.id])
        if due.next_due is not None and (due.owed_by.id == authority.id or any(a.id == authority.id for a in due.owed_to))
    ]
    return FeedDates(reviews, obligations)
