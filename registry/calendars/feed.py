"""Building an authority's iCalendar (RFC 5545) feed of review and obligation dates.

One all-day event per date, with a UID that stays the same for as long as the date does,
so a calendar app updates the event when it refreshes rather than adding a second one.
Events name authorities and agreements, never people: the feed ends up on calendar
services outside the registry.
"""

from collections.abc import Callable
from datetime import date, datetime, timedelta

import icalendar

from registry.agreements.models import Agreement, AgreementVersion
from registry.authorities.models import Authority
from registry.core.templating import format_date
from registry.agreements.models import OBLIGATION_TYPES
from registry.obligations.models import ATTESTATION_STATUSES
from registry.obligations.queries import ObligationDue

from .queries import FeedDates

PRODUCT_ID = "-//Data Sharing Agreement Registry//Calendar feed//EN"
# How often calendar apps are asked to fetch the feed again (RFC 7986, and Outlook's own name for it).
REFRESH = timedelta(hours=1)


def build_calendar(
    authority: Authority,
    dates: FeedDates,
    *,
    host: str,
    agreement_url: Callable[[Agreement], str],
    now: datetime,
    today: date,
) -> bytes:
    """Return the authority's calendar of review and obligation dates as iCalendar bytes."""
    calendar = icalendar.Calendar.new(
        prodid=PRODUCT_ID,
        method="PUBLISH",
        uid=f"calendar-{authority.code}@{host}",
        name=f"{authority.name}: data-sharing dates",
        description=f"Review dates and obligations due under {authority.name}'s data-sharing agreements in force.",
    )
    # RFC 7986 requires VALUE=DURATION on REFRESH-INTERVAL; Outlook reads X-PUBLISHED-TTL.
    calendar.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", icalendar.vDuration(REFRESH))
    events = [_review_event(a, host=host, link=agreement_url(a), now=now, today=today) for a in dates.reviews]
    events += [_obligation_event(d, host=host, link=agreement_url(d.agreement), now=now) for d in dates.obligations]
    for event in sorted(events, key=lambda e: (e.start, str(e["SUMMARY"]), str(e["UID"]))):
        calendar.add_component(event)
    return calendar.to_ical()


def _all_day(day: date, *, uid: str, summary: str, description: str, link: str, now: datetime) -> icalendar.Event:
    return icalendar.Event.new(
        uid=uid,
        stamp=now,
        start=day,
        end=day + timedelta(days=1),
        summary=summary,
        description=description,
        url=link,
        # A reminder of a date, not a meeting: it should not make anyone look busy.
        transparency="TRANSPARENT",
    )


def _and(names: list[str]) -> str:
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def _parties(version: AgreementVersion, lead_id: int) -> str:
    names = [p.authority.name + (" (lead)" if p.authority_id == lead_id else "") for p in version.parties]
    return ", ".join(names)


def _review_event(agreement: Agreement, *, host: str, link: str, now: datetime, today: date) -> icalendar.Event:
    version = agreement.current_version
    lines = [
        f"{agreement.reference}, {version.title}, is due for review on {format_date(agreement.review_due)}.",
        f"Parties: {_parties(version, agreement.lead_authority_id)}.",
    ]
    if agreement.review_due < today:
        lines.append("Overdue: the review date has passed.")
    lines.append(f"Agreement: {link}")
    return _all_day(
        agreement.review_due,
        uid=f"review-{agreement.reference}-{agreement.review_due.isoformat()}@{host}",
        summary=f"Review due: {version.title} ({agreement.reference})",
        description="\n".join(lines),
        link=link,
        now=now,
    )


def _obligation_event(due: ObligationDue, *, host: str, link: str, now: datetime) -> icalendar.Event:
    obligation, agreement = due.obligation, due.agreement
    kind = OBLIGATION_TYPES.get(obligation.type, obligation.type)
    lines = [
        f"Owed by {due.owed_by.name} to {_and([a.name for a in due.owed_to])}.",
        f"Under {agreement.reference}, {obligation.version.title}.",
    ]
    if obligation.due_kind == "recurring":
        lines.append(
            f"It falls due every {obligation.every_months} months; the next date appears once this one is attested as met."
        )
    if due.not_met is not None:
        standing = ATTESTATION_STATUSES[due.not_met.status].lower()
        lines.append(f"Not met: on {format_date(due.not_met.attested_at.date())} {due.owed_by.name} said it was {standing}.")
    elif due.overdue:
        lines.append(f"Overdue: it was due on {format_date(due.next_due)} and has not been attested.")
    lines.append(f"Agreement: {link}")
    return _all_day(
        due.next_due,
        uid=f"obligation-{obligation.lineage}-{due.next_due.isoformat()}@{host}",
        summary=f"{kind} due: {agreement.reference}" + (" (not met)" if due.not_met else " (overdue)" if due.overdue else ""),
        description="\n".join(lines),
        link=link,
        now=now,
    )
