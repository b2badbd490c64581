"""Finding the reminders due sends the same number of SQL queries however many reminders there are: it runs nationally."""

from datetime import timedelta

from registry.core.clock import today
from registry.extensions import db
from registry.notifications import services as notification_services
from registry.reminders import queries

from . import active_agreement, add_obligation


def _queries_to_find_reminders(counter) -> tuple[int, int]:
    """Return how many reminders are due today, and how many queries finding them took, nothing cached."""
    db.session.commit()
    db.session.expire_all()
    counter.count = 0
    found = queries.reminders_due(today())
    return len(found), counter.count


def _obligations_of_every_kind(agreement) -> None:
    """Add an obligation due in 7 days and one overdue: with the review in 30 days, a reminder of each kind is due."""
    add_obligation(agreement, owed_by="BRD", due=today() + timedelta(days=7))
    add_obligation(agreement, owed_by="KIR", due=today() - timedelta(days=1))


def test_finding_the_reminders_due_takes_the_same_queries_however_many_there_are(app, councils, agreement, count_queries):
    _obligations_of_every_kind(agreement)
    fewer, before = _queries_to_find_reminders(count_queries)

    _obligations_of_every_kind(active_agreement(councils))
    for council in councils.values():
        notification_services.set_preferences(council.contributor, {"review_reminders": "email", "overdue_reminders": "inbox"})
    more, after = _queries_to_find_reminders(count_queries)

    assert more > 2 * fewer
    assert after == before
