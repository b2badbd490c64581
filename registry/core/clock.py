"""Today's date in the UK, which is what councils' start, review and end dates are in.

Outside production, configuration may fix "today" (TODAY = "2027-01-31"), so that tests
and demonstrations can move time on: a review falling due, an obligation going overdue.
"""

from datetime import date
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from .db import utcnow

UK_TIME = ZoneInfo("Europe/London")


def today() -> date:
    """Return today's date in the UK (or the fixed date configured outside production)."""
    if has_app_context():
        fixed = current_app.config.get("TODAY")
        if fixed and current_app.config["ENV_NAME"] != "production":
            return fixed if isinstance(fixed, date) else date.fromisoformat(fixed)
    return utcnow().astimezone(UK_TIME).date()
