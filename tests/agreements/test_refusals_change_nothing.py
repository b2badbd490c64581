"""Every refused action leaves the database and the audit log exactly as they were.

Refusals of three kinds: an action the workflow table does not allow now, a form sent
from a page that is out of date, and a form with invalid data.
"""

from datetime import timedelta

import pytest

from registry.core.clock import today
from tests.conftest import post_form
from tests.snapshots import database_snapshot

from .builders import agreement_in, three_councils

YESTERDAY = today() - timedelta(days=1)

CASES = {
    # name: (state, who, path, data, expected status, text on the page)
    "approving a draft": ("draft", "LDS.approver", "/approve", lambda a: {"authority_code": "LDS", "content_hash": "0" * 64}, 409, "You cannot approve an agreement that is draft"),
    "submitting twice": ("proposed", "LDS.contributor", "/submit", lambda a: {}, 409, "You cannot submit an agreement that is proposed"),
    "reviewing a proposal": ("proposed", "LDS.contributor", "/start-review", lambda a: {}, 409, "You cannot start a review of an agreement that is proposed"),
    "resuming an active agreement": ("active", "BRD.approver", "/resume", lambda a: {}, 409, "You cannot resume an agreement that is active"),
    "amending a suspended agreement": ("suspended", "BRD.contributor", "/amend", lambda a: {}, 409, "You cannot amend an agreement that is suspended"),
    "a page out of date": ("draft", "LDS.contributor", "/submit", lambda a: {"lock_version": a.lock_version - 1}, 409, "has changed since you opened it"),
    "an approval of other content": ("proposed", "BRD.approver", "/approve", lambda a: {"authority_code": "BRD", "content_hash": "f" * 64}, 409, "is not the version you were shown"),
    "terms without a breach window": ("draft", "LDS.contributor", "/draft/terms", lambda a: {"retention": "x", "security_measures": "y"}, 422, "Enter within how many hours a breach must be reported"),
    "a review date in the past": ("under_review", "LDS.approver", "/complete-review", lambda a: {"next_review-day": YESTERDAY.day, "next_review-month": YESTERDAY.month, "next_review-year": YESTERDAY.year}, 422, "The next review date must be in the future"),
    "a party that does not exist": ("draft", "LDS.contributor", "/draft/parties/new", lambda a: {"authority_code": "NOPE", "sharing_role": "both", "controller_role": "controller"}, 422, "There is no authority with the code NOPE"),
    "suspending without a reason": ("active", "BRD.approver", "/suspend", lambda a: {}, 422, "Give a reason"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_refused_action_changes_nothing(case, app, signed_in_client):
    state, who, path, data, status, message = CASES[case]
    councils = three_councils()
    agreement = agreement_in(state, councils)
    code, role = who.split(".")
    client = signed_in_client(getattr(councils[code], role))
    before = database_snapshot()

    response = post_form(client, f"/agreements/{agreement.reference}{path}", data(agreement), from_page="/account")

    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert database_snapshot() == before
