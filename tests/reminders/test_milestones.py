"""Reminders go 90, 30 and 7 days before a date and the day after it, each once, and never out of order."""

from datetime import date, timedelta

import pytest

from registry.agreements import services
from registry.extensions import db
from registry.reminders.queries import milestone_on

from . import add_obligation, keys, milestones_written, move_to, send, send_then_put_the_clock_back

DUE = date(2027, 6, 30)


@pytest.mark.parametrize(
    ("days_before", "expected"),
    [(120, None), (91, None), (90, "90"), (89, "90"), (31, "90"), (30, "30"), (8, "30"), (7, "7"), (1, "7"), (0, "7"), (-1, "overdue"), (-400, "overdue")],
)
def test_the_most_urgent_milestone_reached_counts(days_before, expected):
    assert milestone_on(DUE, DUE - timedelta(days=days_before)) == expected


def test_nothing_is_written_more_than_90_days_before(app, runner, agreement):
    move_to(app, agreement.review_due - timedelta(days=91))
    result = send(runner)
    assert result.exit_code == 0, result.output
    assert "0 written" in result.output
    assert keys() == set()


@pytest.mark.parametrize(
    ("days_before", "milestone"), [(89, "90"), (30, "30"), (7, "7"), (-1, "overdue")], ids=["89 days", "30 days", "7 days", "overdue"]
)
def test_a_review_reminder_is_written_at_each_milestone(app, runner, agreement, days_before, milestone):
    move_to(app, agreement.review_due - timedelta(days=days_before))
    send(runner)
    assert milestones_written() == {milestone}
    assert all(key.startswith(f"review:{agreement.reference}:{agreement.review_due.isoformat()}:") for key in keys())


def test_each_milestone_goes_once_as_time_moves_on(app, runner, agreement):
    written = []
    for days_before in (89, 88, 30, 29, 7, 3, 0, -1, -2, -30):
        move_to(app, agreement.review_due - timedelta(days=days_before))
        result = send(runner)
        assert result.exit_code == 0, result.output
        written.append(int(result.output.split(" written")[0].split()[-1]))
    # Six approvers (two for each of three parties), once at each of four milestones.
    assert written == [6, 0, 6, 0, 6, 0, 0, 6, 0, 0]
    assert milestones_written() == {"90", "30", "7", "overdue"}
    assert len(keys()) == 24


def test_a_run_after_weeks_writes_only_the_most_urgent_milestone(app, runner, agreement):
    move_to(app, agreement.review_due - timedelta(days=5))
    send(runner)
    assert milestones_written() == {"7"}


def test_a_less_urgent_milestone_is_never_written_after_a_more_urgent_one(app, runner, agreement):
    # Time going backwards must not bring the 30-day reminder.
    assert "0 written" in send_then_put_the_clock_back(app, runner, agreement)
    assert milestones_written() == {"7"}


def test_an_obligation_reminder_is_written_at_each_milestone(app, runner, agreement):
    due = agreement.review_due - timedelta(days=100)
    obligation = add_obligation(agreement, owed_by="BRD", due=due)
    for days_before, milestone in ((89, "90"), (30, "30"), (7, "7"), (-1, "overdue")):
        move_to(app, due - timedelta(days=days_before))
        send(runner)
        obligation_keys = {k for k in keys() if k.startswith("obligation:")}
        assert {k.split(":")[3] for k in obligation_keys} >= {milestone}
        assert all(k.startswith(f"obligation:{obligation.lineage}:{due.isoformat()}:") for k in obligation_keys)
    assert {k.split(":")[3] for k in keys() if k.startswith("obligation:")} == {"90", "30", "7", "overdue"}


def test_a_recurring_obligation_is_reminded_of_its_next_date(app, runner, agreement):
    first = agreement.review_due - timedelta(days=100)
    obligation = add_obligation(agreement, owed_by="LDS", due=first, due_kind="recurring", every_months=12)
    move_to(app, first - timedelta(days=5))
    send(runner)
    assert any(k.startswith(f"obligation:{obligation.lineage}:{first.isoformat()}:7:") for k in keys())


def test_an_obligation_triggered_by_an_event_gets_no_reminders(app, runner, agreement):
    add_obligation(agreement, owed_by="BRD", due_kind="event", type="breach_notification")
    move_to(app, agreement.review_due - timedelta(days=200))
    result = send(runner)
    assert "0 written" in result.output
    assert keys() == set()


def test_agreements_no_longer_in_force_get_no_reminders(app, runner, agreement, councils):
    services.terminate(councils["BRD"].approver, agreement, reason="No longer needed")
    db.session.commit()
    move_to(app, agreement.review_due - timedelta(days=7))
    assert "0 written" in send(runner).output
