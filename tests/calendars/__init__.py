"""Building agreements with obligations and reading calendar feeds, for the calendar tests."""

from datetime import date

import icalendar

from registry.calendars import services
from registry.extensions import db
from registry.agreements.models import Obligation


def add_obligation(agreement, *, owed_by: str, owed_to: str | None, lineage: str, type: str = "retention",
                   due_date: date, every_months: int | None = None) -> Obligation:
    """Add an obligation to the agreement's version in force (or its newest version), straight into the table."""
    version = agreement.current_version or agreement.latest_version
    parties = {p.authority.code: p for p in version.parties}
    obligation = Obligation(
        version_id=version.id,
        lineage=lineage,
        owed_by_party_id=parties[owed_by].id,
        owed_to_party_id=parties[owed_to].id if owed_to else None,
        type=type,
        due_kind="recurring" if every_months else "date",
        due_date=due_date,
        every_months=every_months,
    )
    db.session.add(obligation)
    db.session.commit()
    return obligation


def make_feed(user, authority) -> str:
    """Create the user's feed of the authority through the service; return its secret."""
    _, secret = services.create_feed(user, authority)
    db.session.commit()
    return secret


def fetch(client, secret: str):
    """Fetch a feed by its secret, with no one signed in."""
    return client.get(f"/calendars/{secret}.ics")


def events_of(response) -> list[icalendar.Event]:
    """Parse a feed response and return its events."""
    assert response.status_code == 200, response.status_code
    return list(icalendar.Calendar.from_ical(response.data).walk("VEVENT"))


def dates_by_summary(events) -> dict[str, date]:
    """Return each event's start date by its summary."""
    return {str(e["SUMMARY"]): e.start for e in events}
