"""`flask agreements tick`: the date-driven transitions, each applied once however often it runs."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from registry.agreements import services
from registry.agreements.models import Agreement
from registry.agreements.queries import agreement_by_reference
from registry.auditlog.models import AuditEntry
from registry.core.clock import today
from registry.extensions import db

from .builders import complete_draft, three_councils


@pytest.fixture
def councils(app):
    return three_councils()


def _approved(councils, start):
    agreement = complete_draft(councils, start=start)
    services.submit(councils["LDS"].contributor, agreement)
    for code in ("LDS", "BRD", "KIR"):
        services.approve(councils[code].approver, agreement, councils[code].authority, content_hash=agreement.latest_version.content_hash)
    db.session.commit()
    return agreement.reference


def _entries(action):
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def test_an_approved_agreement_starts_on_its_start_date_once(councils, runner):
    reference = _approved(councils, today())
    first = runner.invoke(args=["agreements", "tick"])
    second = runner.invoke(args=["agreements", "tick"])
    assert first.exit_code == 0 and f"1 started: {reference}" in first.output
    assert "0 started" in second.output
    assert agreement_by_reference(reference).status == "active"
    assert _entries("agreement.start") == 1


def test_an_agreement_waits_for_a_future_start_date(councils, runner):
    reference = _approved(councils, today() + timedelta(days=10))
    assert "0 started" in runner.invoke(args=["agreements", "tick"]).output
    assert agreement_by_reference(reference).status == "approved"


def test_a_review_starts_when_it_is_due(councils, runner):
    reference = _approved(councils, today())
    runner.invoke(args=["agreements", "tick"])
    db.session.execute(sa.update(Agreement).where(Agreement.reference == reference).values(review_due=today()))
    db.session.commit()
    assert f"1 under review: {reference}" in runner.invoke(args=["agreements", "tick"]).output
    assert "0 under review" in runner.invoke(args=["agreements", "tick"]).output
    assert agreement_by_reference(reference).status == "under_review"


def test_an_agreement_past_its_end_date_expires(councils, runner):
    agreement = complete_draft(councils, start=today() - timedelta(days=400))
    from registry.agreements import drafting

    drafting.update_section(councils["LDS"].contributor, agreement, "dates", {
        "start_date": today() - timedelta(days=400), "review_date": today() - timedelta(days=100),
        "review_interval_months": None, "end_date": today() - timedelta(days=1)})
    services.submit(councils["LDS"].contributor, agreement)
    for code in ("LDS", "BRD", "KIR"):
        services.approve(councils[code].approver, agreement, councils[code].authority, content_hash=agreement.latest_version.content_hash)
    db.session.commit()
    output = runner.invoke(args=["agreements", "tick"]).output
    assert f"1 started: {agreement.reference}" in output and f"1 expired: {agreement.reference}" in output
    assert agreement_by_reference(agreement.reference).status == "expired"
    assert "0 expired" in runner.invoke(args=["agreements", "tick"]).output


def test_people_cannot_start_or_expire_agreements(councils):
    from registry.core.errors import InvalidTransition, PermissionDenied

    agreement = agreement_by_reference(_approved(councils, today()))
    with pytest.raises(PermissionDenied):
        services.start(councils["LDS"].approver, agreement)
    db.session.rollback()
    with pytest.raises(InvalidTransition):
        services.expire(councils["LDS"].approver, agreement_by_reference(agreement.reference))
