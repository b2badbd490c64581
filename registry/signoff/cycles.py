"""Sign-off cycles: the workflow's history summarised as it is written, one row for each approval cycle completed.

An approval cycle is an agreement's or an amendment's way from its first submission to the
last party's approval. It began with the first submission since the cycle before it ended
(approved or withdrawn), so that versions sent back for changes count in its time; a
withdrawn proposal completes no cycle. The definition is written once, as one query over
the history (_cycles): the subscriber runs it for the approval that has just completed a
cycle, and the backfill for every cycle the history holds, so the two cannot disagree.
"""

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from registry.agreements.events import AgreementMoved
from registry.agreements.models import AgreementEvent
from registry.extensions import db

from .models import SignOffCycle

# The backfill writes this many rows a statement: a national history has about 100,000.
_CHUNK = 5000


def _completes_a_cycle(event) -> sa.ColumnElement[bool]:
    """The history events that complete an approval cycle: the last party's approval."""
    return sa.and_(event.action == "approve", event.to_status == "approved")


def _ends_a_cycle(event) -> sa.ColumnElement[bool]:
    """The history events that end an approval cycle: completing it, or withdrawing the proposal."""
    return sa.or_(event.action == "withdraw", _completes_a_cycle(event))


def _cycles(completed_by: int | None) -> sa.Select:
    """Return a query for each approval cycle completed in the history and not yet recorded (or the one an event completed).

    Each completion is joined to its agreement's submissions, less those an earlier cycle
    ended: the earliest left is the cycle's first submission. For one event that is a few
    rows of one agreement's history; for the whole history, one set-based pass.
    """
    done, submitted, ended = aliased(AgreementEvent), aliased(AgreementEvent), aliased(AgreementEvent)
    statement = (
        sa.select(
            done.version_id, done.agreement_id,
            sa.func.min(submitted.created_at).label("first_submitted_at"), done.created_at.label("in_force_at"),
        )
        .join(submitted, sa.and_(submitted.agreement_id == done.agreement_id, submitted.action == "submit", submitted.id < done.id))
        .where(
            _completes_a_cycle(done),
            # A submission followed by an approval or withdrawal before this one belongs to an earlier cycle.
            ~sa.exists().where(
                ended.agreement_id == done.agreement_id, _ends_a_cycle(ended), ended.id > submitted.id, ended.id < done.id
            ),
            ~sa.exists().where(SignOffCycle.version_id == done.version_id),
        )
        .group_by(done.id, done.version_id, done.agreement_id, done.created_at)
    )
    if completed_by is not None:
        statement = statement.where(done.id == completed_by)
    return statement


def _record(connection: sa.Connection | Session, statement: sa.Select) -> int:
    """Write a row for each cycle the query finds, with its days (computed here, so both engines store the same number)."""
    rows = [
        {
            "version_id": row.version_id,
            "agreement_id": row.agreement_id,
            "first_submitted_at": row.first_submitted_at,
            "in_force_at": row.in_force_at,
            "days": (row.in_force_at - row.first_submitted_at) / timedelta(days=1),
        }
        for row in connection.execute(statement)
    ]
    for start in range(0, len(rows), _CHUNK):
        connection.execute(sa.insert(SignOffCycle.__table__), rows[start : start + _CHUNK])
    return len(rows)


def record_cycle(event: AgreementMoved) -> None:
    """Record the approval cycle that the last party's approval completes, in the same transaction as the approval."""
    history = event.history
    # Every other move completes nothing: spare it the query (which tests the same condition).
    if history.action == "approve" and history.to_status == "approved":
        _record(db.session, _cycles(history.id))


def backfill(connection: sa.Connection | Session) -> int:
    """Record every approval cycle the history holds that is not recorded yet; return how many were.

    For the migration that made the table, for history written in bulk (bench/national),
    and for tests that move history into the past after it was recorded.
    """
    return _record(connection, _cycles(None))
