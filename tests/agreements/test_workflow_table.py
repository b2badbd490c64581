"""The workflow table, pair by pair: every (status, action) either moves as domain.md says or is refused."""

import pytest

from registry.agreements.workflow import (
    ONCE_EVERY_PARTY_APPROVED,
    TRANSITIONS,
    Action,
    NotAllowed,
    Status,
    actions_from,
    next_status,
)

S, A = Status, Action

# domain.md's table, written out again here so a change to either is caught.
EXPECTED = {
    (S.DRAFT, A.SUBMIT): S.PROPOSED,
    (S.PROPOSED, A.APPROVE): S.PROPOSED,
    (S.PROPOSED, A.REQUEST_CHANGES): S.DRAFT,
    (S.PROPOSED, A.WITHDRAW): S.WITHDRAWN,
    (S.APPROVED, A.START): S.ACTIVE,
    (S.ACTIVE, A.START_REVIEW): S.UNDER_REVIEW,
    (S.UNDER_REVIEW, A.COMPLETE_REVIEW): S.ACTIVE,
    (S.ACTIVE, A.AMEND): S.ACTIVE,
    (S.UNDER_REVIEW, A.AMEND): S.UNDER_REVIEW,
    (S.ACTIVE, A.SUSPEND): S.SUSPENDED,
    (S.UNDER_REVIEW, A.SUSPEND): S.SUSPENDED,
    (S.SUSPENDED, A.RESUME): S.ACTIVE,
    (S.ACTIVE, A.TERMINATE): S.TERMINATED,
    (S.UNDER_REVIEW, A.TERMINATE): S.TERMINATED,
    (S.SUSPENDED, A.TERMINATE): S.TERMINATED,
    (S.ACTIVE, A.EXPIRE): S.EXPIRED,
}

ALL_PAIRS = [(status, action) for status in Status for action in Action]


@pytest.mark.parametrize("status, action", ALL_PAIRS, ids=[f"{s.value}-{a.value}" for s, a in ALL_PAIRS])
def test_every_pair_moves_as_the_table_says_or_is_refused(status, action):
    if (status, action) in EXPECTED:
        assert next_status(status, action) == EXPECTED[(status, action)]
    else:
        with pytest.raises(NotAllowed):
            next_status(status, action)


def test_the_table_is_exactly_domain_md():
    assert TRANSITIONS == EXPECTED


def test_the_last_approval_makes_a_proposal_approved():
    assert next_status(S.PROPOSED, A.APPROVE, every_party_approved=True) == S.APPROVED
    assert ONCE_EVERY_PARTY_APPROVED == {(S.PROPOSED, A.APPROVE): S.APPROVED}


def test_every_party_approved_changes_nothing_else():
    assert next_status(S.ACTIVE, A.SUSPEND, every_party_approved=True) == S.SUSPENDED


@pytest.mark.parametrize("status", [S.TERMINATED, S.EXPIRED, S.WITHDRAWN])
def test_ended_agreements_allow_nothing(status):
    assert actions_from(status) == []


def test_a_refusal_says_what_and_from_where():
    with pytest.raises(NotAllowed, match="You cannot approve an agreement that is draft"):
        next_status(S.DRAFT, A.APPROVE)
