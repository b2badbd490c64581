"""When obligations fall due: a date once, a recurrence after each period, an event never on its own."""

from datetime import date

import pytest

from registry.obligations.schedule import DueRule, add_months, days_until, is_overdue, next_due


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 11, 27), 12, date(2027, 11, 27)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
    ],
)
def test_months_are_added_keeping_the_day_where_the_month_has_it(day, months, expected):
    assert add_months(day, months) == expected


def test_a_dated_obligation_is_due_until_attested():
    rule = DueRule("date", date(2027, 1, 31))
    assert next_due(rule, []) == date(2027, 1, 31)
    assert next_due(rule, [date(2027, 1, 31)]) is None


def test_a_recurring_obligation_falls_due_again_after_each_period():
    rule = DueRule("recurring", date(2026, 12, 1), 12)
    assert next_due(rule, []) == date(2026, 12, 1)
    assert next_due(rule, [date(2026, 12, 1)]) == date(2027, 12, 1)
    assert next_due(rule, [date(2026, 12, 1), date(2027, 12, 1)]) == date(2028, 12, 1)


def test_an_unattested_period_stays_due_even_when_a_later_one_was_attested():
    rule = DueRule("recurring", date(2026, 1, 1), 6)
    assert next_due(rule, [date(2026, 7, 1)]) == date(2026, 1, 1)


def test_an_event_driven_obligation_has_no_due_date_of_its_own():
    assert next_due(DueRule("event"), []) is None


def test_overdue_is_a_due_date_in_the_past():
    assert is_overdue(date(2026, 11, 26), date(2026, 11, 27))
    assert not is_overdue(date(2026, 11, 27), date(2026, 11, 27))
    assert not is_overdue(None, date(2026, 11, 27))
    assert days_until(date(2026, 12, 27), date(2026, 11, 27)) == 30


def test_a_schedule_ends_at_the_last_date_there_is():
    assert add_months(date(9999, 6, 30), 12) is None
    rule = DueRule("recurring", date(9998, 12, 31), every_months=12)
    assert next_due(rule, [date(9998, 12, 31), date(9999, 12, 31)]) is None
