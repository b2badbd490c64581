"""The whole life of an agreement through the services, as the workflow table says."""

from datetime import timedelta

import pytest

from registry.agreements import drafting, services
from registry.agreements.models import VersionState
from registry.users.actors import SCHEDULER
from registry.core.clock import today
from registry.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from registry.extensions import db

from .builders import complete_draft, three_councils


@pytest.fixture
def councils(app):
    return three_councils()


def _approve_all(agreement, councils, codes=("LDS", "BRD", "KIR")):
    version = agreement.latest_version
    for code in codes:
        approver = councils[code].approver if version.submitted_by_id != councils[code].approver.id else councils[code].second_approver
        services.approve(approver, agreement, councils[code].authority, content_hash=version.content_hash)
    db.session.commit()


def test_a_complete_draft_is_submitted_as_version_1_with_its_hash(councils):
    agreement = complete_draft(councils)
    version = services.submit(councils["LDS"].contributor, agreement)
    db.session.commit()
    assert agreement.status == "proposed"
    assert version.number == 1 and version.state == VersionState.PROPOSED
    assert len(version.content_hash) == 64
    assert agreement.reference.startswith(f"DSA-{today().year}-")


def test_every_party_approving_makes_it_approved_and_the_schedule_starts_it(councils):
    agreement = complete_draft(councils)
    services.submit(councils["LDS"].contributor, agreement)
    _approve_all(agreement, councils)
    assert agreement.status == "approved"
    services.start(SCHEDULER, agreement)
    db.session.commit()
    assert agreement.status == "active"
    assert agreement.current_version.state == VersionState.CURRENT
    assert agreement.review_due == agreement.current_version.review_date


def test_the_submitter_does_not_approve_for_their_own_authority(councils):
    agreement = complete_draft(councils)
    services.submit(councils["LDS"].approver, agreement)
    db.session.commit()
    with pytest.raises(PermissionDenied, match="another approver must approve it"):
        services.approve(councils["LDS"].approver, agreement, councils["LDS"].authority, content_hash=agreement.latest_version.content_hash)


def test_approval_for_a_stale_hash_is_refused(councils):
    agreement = complete_draft(councils)
    services.submit(councils["LDS"].contributor, agreement)
    db.session.commit()
    with pytest.raises(Conflict, match="not the version you were shown"):
        services.approve(councils["BRD"].approver, agreement, councils["BRD"].authority, content_hash="0" * 64)


def test_requesting_changes_clears_approvals_and_opens_a_new_draft(councils):
    agreement = complete_draft(councils)
    services.submit(councils["LDS"].contributor, agreement)
    services.approve(councils["BRD"].approver, agreement, councils["BRD"].authority, content_hash=agreement.latest_version.content_hash)
    db.session.commit()
    draft = services.request_changes(councils["KIR"].approver, agreement, reason="Add the retention schedule")
    db.session.commit()
    assert agreement.status == "draft"
    assert draft.state == VersionState.DRAFT and draft.approvals == []
    version2 = services.submit(councils["LDS"].contributor, agreement)
    db.session.commit()
    assert version2.number == 2 and version2.approvals == []


def test_an_amendment_leaves_the_version_in_force_until_approved_then_supersedes_it(councils):
    agreement = complete_draft(councils)
    services.submit(councils["LDS"].contributor, agreement)
    _approve_all(agreement, councils)
    services.start(SCHEDULER, agreement)
    db.session.commit()
    first = agreement.current_version

    services.amend(councils["BRD"].contributor, agreement)
    drafting.update_section(councils["BRD"].contributor, agreement, "terms", {"breach_notification_hours": 12})
    services.submit(councils["LDS"].contributor, agreement)
    db.session.commit()
    assert agreement.status == "active" and agreement.current_version_id == first.id
    _approve_all(agreement, councils)

    assert agreement.current_version.number == 2
    assert agreement.current_version.breach_notification_hours == 12
    assert first.state == VersionState.SUPERSEDED
    assert agreement.status == "active"


def test_review_suspend_resume_and_terminate(councils):
    agreement = complete_draft(councils)
    services.submit(councils["LDS"].contributor, agreement)
    _approve_all(agreement, councils)
    services.start(SCHEDULER, agreement)
    services.start_review(councils["KIR"].contributor, agreement)
    next_review = today() + timedelta(days=200)
    services.complete_review(councils["LDS"].approver, agreement, next_review=next_review)
    db.session.commit()
    assert agreement.status == "active" and agreement.review_due == next_review

    services.suspend(councils["BRD"].approver, agreement, reason="A breach is being investigated")
    services.resume(councils["KIR"].approver, agreement)
    assert agreement.status == "suspended"  # Kirklees agreed; the others have not
    services.resume(councils["BRD"].approver, agreement)  # who suspended it
    assert agreement.status == "active"

    services.terminate(councils["KIR"].approver, agreement, reason="The project has ended")
    db.session.commit()
    assert agreement.status == "terminated"
    with pytest.raises(InvalidTransition) as refusal:
        services.amend(councils["LDS"].contributor, agreement)
    assert refusal.value.details == {"status": "terminated", "allowed_actions": []}


def test_a_draft_that_breaks_the_rules_cannot_be_submitted(councils):
    agreement = drafting.create_agreement(councils["LDS"].contributor, councils["LDS"].authority, title="Thin", agreement_type="disclosure")
    db.session.commit()
    with pytest.raises(ValidationFailed) as refusal:
        services.submit(councils["LDS"].contributor, agreement)
    assert "An agreement needs at least two parties" in refusal.value.fields["parties"]
    assert agreement.status == "draft"


def test_special_category_data_needs_an_article_9_condition_for_both_parties(councils):
    agreement = complete_draft(councils)
    brd = next(p for p in agreement.latest_version.parties if p.authority.code == "BRD")
    drafting.update_party(councils["LDS"].contributor, agreement, brd.id, sharing_role="both", controller_role="controller", legal_bases=["UKGDPR-A6-1-E"])
    db.session.commit()
    with pytest.raises(ValidationFailed) as refusal:
        services.submit(councils["LDS"].contributor, agreement)
    assert "Special category data flows to or from Bradford Council: choose an Article 9 condition for it" in refusal.value.fields["parties"]
