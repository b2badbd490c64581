"""Today's date in the UK, which is what councils' start, review and end dates are in."""

from datetime import date
from zoneinfo import ZoneInfo

from .db import utcnow

UK_TIME = ZoneInfo("Europe/London")


def today() -> date:
    """Return today's date in the UK."""
    return utcnow().astimezone(UK_TIME).date()
