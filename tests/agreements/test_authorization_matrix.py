"""Every mutating page of an agreement, tried by every kind of person: only the allowed succeed.

For each action the agreement is put in a state where the workflow allows it, so the only
thing that can refuse is who is asking. People are a viewer, contributor and approver of
the lead authority (Leeds), of a partner (Bradford) and of an unrelated council (York),
plus an auditor and an administrator. A refusal is 403 and changes nothing at all.
"""

from datetime import timedelta

import pytest

from registry.core.clock import today
from tests.conftest import post_form
from tests.factories import make_authority, make_user
from tests.shared_data import shared_fixture
from tests.snapshots import database_snapshot

from .builders import agreement_in, three_councils

ROLES = ("viewer", "contributor", "approver")
WHOSE = ("lead", "partner", "unrelated")
PEOPLE = [f"{role} of {whose}" for whose in WHOSE for role in ROLES] + ["auditor", "admin"]

CONTRIBUTE_ANY_PARTY = {f"{role} of {whose}" for role in ("contributor", "approver") for whose in ("lead", "partner")}
APPROVE_ANY_PARTY = {"approver of lead", "approver of partner"}
CONTRIBUTE_LEAD = {"contributor of lead", "approver of lead"}


def _draft(agreement):
    return agreement.latest_version


def _partner_party(agreement):
    return next(p for p in _draft(agreement).parties if p.authority.code == "BRD")


def _terms(_agreement):
    return {"retention": "Five years", "security_measures": "Encrypted", "breach_notification_hours": "48",
            "onward_sharing_allowed": "false", "commercial_use_allowed": "false", "international_transfers": "false"}


def _flow(agreement, councils):
    parties = {p.authority.code: p for p in _draft(agreement).parties}
    dataset = councils["LDS"].dataset
    return {"from_party_id": parties["LDS"].id, "to_party_id": parties["KIR"].id, "dataset_id": dataset.id,
            "data_item_ids": [str(dataset.items[0].id)], "frequency": "one_off"}


NEXT_YEAR = today() + timedelta(days=200)

# action: (state it needs, path after /agreements/<ref>, form data, who may)
ACTIONS = {
    "edit a section": ("draft", "/draft/terms", lambda a, c: _terms(a), CONTRIBUTE_ANY_PARTY),
    "add a party": ("draft", "/draft/parties/new", lambda a, c: {"authority_code": "HPL", "sharing_role": "recipient", "controller_role": "controller"}, CONTRIBUTE_ANY_PARTY),
    "change a party": ("draft", lambda a: f"/draft/parties/{_partner_party(a).id}", lambda a, c: {"sharing_role": "both", "controller_role": "processor"}, CONTRIBUTE_ANY_PARTY),
    "remove a party": ("draft", lambda a: f"/draft/parties/{_partner_party(a).id}/remove", lambda a, c: {}, CONTRIBUTE_ANY_PARTY),
    "add a flow": ("draft", "/draft/flows/new", _flow, CONTRIBUTE_ANY_PARTY),
    "change a flow": ("draft", lambda a: f"/draft/flows/{_draft(a).flows[0].id}", _flow, CONTRIBUTE_ANY_PARTY),
    "remove a flow": ("draft", lambda a: f"/draft/flows/{_draft(a).flows[0].id}/remove", lambda a, c: {}, CONTRIBUTE_ANY_PARTY),
    "submit": ("draft", "/submit", lambda a, c: {}, CONTRIBUTE_LEAD),
    "approve": ("proposed", "/approve", lambda a, c: {"authority_code": "LDS", "content_hash": _draft(a).content_hash}, {"approver of lead"}),
    "approve for a partner": ("proposed", "/approve", lambda a, c: {"authority_code": "BRD", "content_hash": _draft(a).content_hash}, {"approver of partner"}),
    "ask for changes": ("proposed", "/request-changes", lambda a, c: {"reason": "More detail"}, APPROVE_ANY_PARTY),
    "withdraw": ("proposed", "/withdraw", lambda a, c: {}, CONTRIBUTE_LEAD),
    "start a review": ("active", "/start-review", lambda a, c: {}, CONTRIBUTE_ANY_PARTY),
    "complete a review": ("under_review", "/complete-review", lambda a, c: {"next_review-day": NEXT_YEAR.day, "next_review-month": NEXT_YEAR.month, "next_review-year": NEXT_YEAR.year}, {"approver of lead"}),
    "amend": ("active", "/amend", lambda a, c: {}, CONTRIBUTE_ANY_PARTY),
    "suspend": ("active", "/suspend", lambda a, c: {"reason": "A breach"}, APPROVE_ANY_PARTY),
    "resume": ("suspended", "/resume", lambda a, c: {}, APPROVE_ANY_PARTY),
    "terminate": ("active", "/terminate", lambda a, c: {"reason": "Ended"}, APPROVE_ANY_PARTY),
}


@shared_fixture
def people():
    """Leeds, Bradford and Kirklees; Hartlepool, to add as a party; and a person in each role of the
    lead, a partner and an unrelated council (York), an auditor and an administrator."""
    councils = three_councils()
    make_authority(code="HPL", name="Hartlepool Borough Council")
    york = make_authority(code="YOR", name="City of York Council")
    people = {}
    for whose, authority in (("lead", councils["LDS"].authority), ("partner", councils["BRD"].authority), ("unrelated", york)):
        for role in ROLES:
            people[f"{role} of {whose}"] = make_user(name=f"{role} of {whose}", memberships={authority: role})
    people["auditor"] = make_user(system_role="auditor")
    people["admin"] = make_user(system_role="admin")
    return councils, people


def _attempt(client, agreement, councils, spec):
    _, path, data, _ = spec
    path = path(agreement) if callable(path) else path
    return post_form(client, f"/agreements/{agreement.reference}{path}", data(agreement, councils), from_page="/account")


@pytest.mark.parametrize("action", ACTIONS)
def test_everyone_else_is_refused_and_nothing_changes(action, people, signed_in_client):
    councils, persons = people
    spec = ACTIONS[action]
    state, _, _, allowed = spec

    agreement = agreement_in(state, councils)
    wrongly = []
    for person in PEOPLE:
        if person in allowed:
            continue
        client = signed_in_client(persons[person])  # signing in is itself a change: do it first
        before = database_snapshot()
        response = _attempt(client, agreement, councils, spec)
        if response.status_code != 403 or database_snapshot() != before:
            wrongly.append(f"{person}: {response.status_code}")
    assert wrongly == [], f"{action} should be refused with 403 and change nothing for: {wrongly}"


@pytest.mark.parametrize("action, person", [(action, person) for action, spec in ACTIONS.items() for person in sorted(spec[3])])
def test_the_allowed_people_can(action, person, people, signed_in_client):
    councils, persons = people
    spec = ACTIONS[action]
    agreement = agreement_in(spec[0], councils)  # each allowed person on an agreement of their own in that state

    response = _attempt(signed_in_client(persons[person]), agreement, councils, spec)

    assert response.status_code == 302, f"{person} could not {action}: {response.status_code}"


def test_starting_an_agreement_is_for_contributors_and_approvers_of_the_lead(people, signed_in_client):
    councils, persons = people
    for person in PEOPLE:
        client = signed_in_client(persons[person])
        before = database_snapshot()
        response = post_form(client, "/agreements/new",
                             {"lead_authority_code": "LDS", "title": "New one", "agreement_type": "disclosure"}, from_page="/account")
        if person in CONTRIBUTE_LEAD:
            assert response.status_code == 302, person
        else:
            assert response.status_code == 403, person
            assert database_snapshot() == before, person
