"""When an obligation falls due next, and whether it is overdue: computed from its attestations, never stored.

Pure functions: no Flask, no database.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# How far ahead a recurring obligation's dates are followed, so a long-unattested one ends.
MAX_PERIODS = 1200


def add_months(day: date, months: int) -> date | None:
    """Return the same day of the month `months` later, or the month's last day if it is shorter.

    None past the last date there is (year 9999): a schedule simply ends there.
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > date.max.year:
        return None
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class DueRule:
    """What an obligation says about when it falls due."""

    due_kind: str  # "date", "recurring" or "event"
    due_date: date | None = None
    every_months: int | None = None


def next_due(rule: DueRule, attested: Iterable[date]) -> date | None:
    """Return the first due date not yet attested, or None (an event-driven or fully attested obligation)."""
    answered = set(attested)
    if rule.due_kind == "date":
        return None if rule.due_date in answered else rule.due_date
    if rule.due_kind == "recurring":
        due = rule.due_date
        for period in range(MAX_PERIODS):
            due = add_months(rule.due_date, period * rule.every_months)
            if due is None or due not in answered:
                return due
        return None
    return None


def is_overdue(due: date | None, today: date) -> bool:
    """Return True when a due date has passed without an attestation."""
    return due is not None and due < today


def days_until(due: date | None, today: date) -> int | None:
    """Return how many days remain until a due date (negative once it has passed)."""
    return None if due is None else (due - today).days
