"""Sign-off cycles: each recorded once, as the last party approves, from the cycle's first submission; and the backfill
summarising the history exactly as the approvals recorded it.

The history is made by the services; submissions are moved into the past before the last
approval, so that the cycle recorded then has taken that long.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from registry.agreements import services
from registry.agreements.models import AgreementEvent
from registry.core.db import utcnow
from registry.extensions import db
from registry.signoff import cycles
from registry.signoff.models import SignOffCycle
from registry.users.actors import SCHEDULER
from tests.agreements.builders import complete_draft

from .conftest import approve


def submitted(councils, partners=("BRD", "KIR")):
    """Return a Leeds-led agreement submitted by Leeds, approved by none."""
    agreement = complete_draft(councils, partners=partners)
    services.submit(councils["LDS"].contributor, agreement)
    db.session.commit()
    return agreement


def events_of(agreement, action: str) -> list[AgreementEvent]:
    return list(db.session.scalars(sa.select(AgreementEvent).where(
        AgreementEvent.agreement_id == agreement.id, AgreementEvent.action == action).order_by(AgreementEvent.id)))


def backdate(events: list[AgreementEvent], *days_ago: float) -> None:
    """Move these history events (in order) that many days into the past."""
    assert len(events) == len(days_ago)
    for event, days in zip(events, days_ago):
        event.created_at = utcnow() - timedelta(days=days)
    db.session.commit()


def cycles_of(agreement) -> list[SignOffCycle]:
    db.session.expire_all()
    return list(db.session.scalars(
        sa.select(SignOffCycle).where(SignOffCycle.agreement_id == agreement.id).order_by(SignOffCycle.in_force_at)))


def every_cycle() -> list[tuple]:
    db.session.expire_all()
    table = SignOffCycle.__table__
    return [tuple(row) for row in db.session.execute(sa.select(table).order_by(table.c.version_id))]


def test_the_last_partys_approval_records_the_cycle_once(councils):
    agreement = submitted(councils)
    backdate(events_of(agreement, "submit"), 12)
    approve(councils, agreement, "LDS", "BRD")
    assert cycles_of(agreement) == []

    approve(councils, agreement, "KIR")
    services.start(SCHEDULER, agreement)
    services.amend(councils["BRD"].contributor, agreement)
    db.session.commit()

    [cycle] = cycles_of(agreement)
    [submission], last_approval = events_of(agreement, "submit"), events_of(agreement, "approve")[-1]
    assert cycle.version_id == agreement.current_version_id
    assert (cycle.first_submitted_at, cycle.in_force_at) == (submission.created_at, last_approval.created_at)
    assert cycle.days == pytest.approx(12, abs=0.01)


def test_recording_a_completed_cycle_again_adds_nothing(councils):
    agreement = submitted(councils)
    approve(councils, agreement, "LDS", "BRD", "KIR")
    last_approval = events_of(agreement, "approve")[-1]

    cycles.record_cycle(SimpleNamespace(history=last_approval))
    added = cycles.backfill(db.session)
    db.session.commit()

    assert added == 0
    assert len(cycles_of(agreement)) == 1


def test_a_version_sent_back_for_changes_counts_from_the_first_submission(councils):
    agreement = submitted(councils)
    services.request_changes(councils["KIR"].approver, agreement, reason="Say how long Kirklees keeps the records")
    services.submit(councils["LDS"].contributor, agreement)
    db.session.commit()
    backdate(events_of(agreement, "submit"), 30, 20)

    approve(councils, agreement, "LDS", "BRD", "KIR")

    [cycle] = cycles_of(agreement)
    assert cycle.version_id == agreement.latest_version_id  # the version approved, not the one sent back
    assert cycle.first_submitted_at == events_of(agreement, "submit")[0].created_at
    assert cycle.days == pytest.approx(30, abs=0.01)


def test_an_amendment_is_a_cycle_of_its_own_from_its_own_first_submission(councils):
    agreement = submitted(councils)
    approve(councils, agreement, "LDS", "BRD", "KIR")
    services.start(SCHEDULER, agreement)
    services.amend(councils["BRD"].contributor, agreement)
    services.submit(councils["LDS"].contributor, agreement)
    db.session.commit()
    backdate(events_of(agreement, "submit")[1:], 9)

    approve(councils, agreement, "LDS", "BRD", "KIR")

    first, amendment = cycles_of(agreement)
    assert amendment.version_id == agreement.current_version_id != first.version_id
    assert amendment.first_submitted_at == events_of(agreement, "submit")[1].created_at
    assert amendment.days == pytest.approx(9, abs=0.01)


def test_a_withdrawn_proposal_records_no_cycle(councils):
    agreement = submitted(councils)
    approve(councils, agreement, "LDS", "BRD")

    services.withdraw(councils["LDS"].contributor, agreement, reason="Not needed after all")
    db.session.commit()

    assert cycles_of(agreement) == []


def _amend_twice_withdrawing_the_first(councils, agreement):
    """Start the agreement, propose an amendment and withdraw it, then propose another."""
    services.start(SCHEDULER, agreement)
    for withdrawn in (True, False):
        services.amend(councils["BRD"].contributor, agreement)
        services.submit(councils["LDS"].contributor, agreement)
        if withdrawn:
            services.withdraw(councils["LDS"].contributor, agreement, reason="Not needed after all")
    db.session.commit()


def test_a_withdrawn_amendment_is_not_counted_in_the_next(councils):
    agreement = submitted(councils)
    approve(councils, agreement, "LDS", "BRD", "KIR")
    _amend_twice_withdrawing_the_first(councils, agreement)
    backdate(events_of(agreement, "submit")[1:], 60, 20)

    approve(councils, agreement, "LDS", "BRD", "KIR")

    first, amendment = cycles_of(agreement)
    assert amendment.first_submitted_at == events_of(agreement, "submit")[2].created_at
    assert amendment.days == pytest.approx(20, abs=0.01)


def test_the_backfill_summarises_the_history_exactly_as_the_approvals_recorded_it(councils):
    # Signed off after 5 days; sent back for changes, then signed off; amended twice, the first
    # amendment withdrawn; a new proposal withdrawn; one still waiting for Kirklees.
    plain = submitted(councils)
    backdate(events_of(plain, "submit"), 5)
    approve(councils, plain, "LDS", "BRD", "KIR")
    sent_back = submitted(councils, partners=("BRD",))
    services.request_changes(councils["BRD"].approver, sent_back, reason="Name the dataset")
    services.submit(councils["LDS"].contributor, sent_back)
    db.session.commit()
    backdate(events_of(sent_back, "submit"), 40, 25)
    approve(councils, sent_back, "LDS", "BRD")
    _amend_twice_withdrawing_the_first(councils, sent_back)
    backdate(events_of(sent_back, "submit")[2:], 15, 3)
    approve(councils, sent_back, "LDS", "BRD")
    withdrawn = submitted(councils)
    services.withdraw(councils["LDS"].contributor, withdrawn, reason="Not needed after all")
    db.session.commit()
    waiting = submitted(councils)
    approve(councils, waiting, "LDS", "BRD")
    recorded = every_cycle()
    assert len(recorded) == 3

    db.session.execute(sa.delete(SignOffCycle))
    added = cycles.backfill(db.session)
    db.session.commit()

    assert added == len(recorded)
    assert every_cycle() == recorded
