"""The workflow table, pair by pair: every (status, action) either moves as domain.md says or is refused."""

import dataclasses
import re
from pathlib import Path

import pytest

from registry.agreements import policies
from registry.agreements.statuses import Action, Status
from registry.agreements.workflow import GUARD_WORDS, GUARDS, TABLE, WHO_MAY, rows

S, A = Status, Action

# domain.md's table, written out again here so a change to either is caught: the move each
# pair makes when no guard applies (the usual case).
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
    (S.SUSPENDED, A.RESUME): S.SUSPENDED,
    (S.ACTIVE, A.TERMINATE): S.TERMINATED,
    (S.UNDER_REVIEW, A.TERMINATE): S.TERMINATED,
    (S.SUSPENDED, A.TERMINATE): S.TERMINATED,
    (S.ACTIVE, A.EXPIRE): S.EXPIRED,
}
# The moves a guard makes instead.
EXPECTED_WHEN_GUARDED = {
    (S.PROPOSED, A.APPROVE, "last_approval"): S.APPROVED,
    (S.SUSPENDED, A.RESUME, "resumes_now"): S.ACTIVE,
}

ALL_PAIRS = [(status, action) for status in Status for action in Action]


@pytest.mark.parametrize("status, action", ALL_PAIRS, ids=[f"{s.value}-{a.value}" for s, a in ALL_PAIRS])
def test_every_pair_moves_as_domain_md_says_or_has_no_row(status, action):
    unguarded = [row.next for row in rows(status, action) if row.guard is None]
    assert unguarded == ([EXPECTED[(status, action)]] if (status, action) in EXPECTED else [])


def test_the_guarded_rows_are_exactly_these():
    guarded = {(row.status, row.action, row.guard): row.next for row in TABLE if row.guard}
    assert guarded == EXPECTED_WHEN_GUARDED


def test_a_guarded_row_comes_before_the_row_it_gives_way_to():
    for row in TABLE:
        if row.guard:
            same = rows(row.status, row.action)
            assert same.index(row) < len(same) - 1 and same[-1].guard is None


def test_the_table_is_plain_data():
    for row in TABLE:
        values = dataclasses.astuple(row)
        assert all(isinstance(value, (str, type(None))) for value in values), row


def test_every_row_names_a_policy_and_the_guards_that_exist():
    for row in TABLE:
        assert callable(getattr(policies, row.who, None)), row.who
        assert row.guard is None or row.guard in GUARDS
    assert set(WHO_MAY) == {row.who for row in TABLE}
    assert set(GUARD_WORDS) == set(GUARDS)


def test_one_policy_decides_each_pair():
    for status, action in {(row.status, row.action) for row in TABLE}:
        assert len({row.who for row in rows(status, action)}) == 1


@pytest.mark.parametrize("status", [S.TERMINATED, S.EXPIRED, S.WITHDRAWN])
def test_ended_agreements_allow_nothing(status):
    assert [row for row in TABLE if row.status == status] == []


def readme_rows() -> list[list[str]]:
    """The rows of the README's workflow table, cell by cell, with Markdown's backticks removed."""
    text = (Path(__file__).parents[2] / "README.md").read_text()
    table = text.split("<!-- workflow-table -->")[1]
    lines = [line for line in table.strip().splitlines() if line.startswith("|")][2:]
    return [[cell.strip().strip("`") for cell in line.strip("|").split("|")] for line in lines]


def table_as_words() -> list[list[str]]:
    return [
        [row.status.value, row.action.value, row.next.value, WHO_MAY[row.who],
         GUARD_WORDS[row.guard] if row.guard else ("otherwise" if len(rows(row.status, row.action)) > 1 else "")]
        for row in TABLE
    ]


def test_the_readme_shows_the_table_the_code_runs():
    assert readme_rows() == table_as_words()


def test_the_readme_check_sees_a_difference():
    changed = table_as_words()
    changed[0][2] = "active"
    assert readme_rows() != changed
    assert re.search(r"<!-- workflow-table -->", (Path(__file__).parents[2] / "README.md").read_text())
