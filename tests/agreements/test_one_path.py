"""Rules the web pages, the API and the CLI share: each is decided by the use case, not by a channel."""

import pytest

from registry.agreements import drafting, services
from registry.core.errors import ValidationFailed
from registry.extensions import db
from tests.factories import make_user
from tests.snapshots import database_snapshot

from .builders import complete_draft, three_councils


@pytest.fixture
def councils(app):
    return three_councils()


def test_a_partys_authority_never_changes(councils):
    agreement = complete_draft(councils)
    party = agreement.pending_version.party_for(councils["BRD"].authority)
    before = database_snapshot()
    with pytest.raises(ValidationFailed) as refused:
        drafting.update_party(councils["LDS"].contributor, agreement, party.id, authority=councils["KIR"].authority,
                              sharing_role="both", controller_role="controller", legal_bases=[])
    assert refused.value.fields == {"authority_code": [drafting.AUTHORITY_STAYS]}
    db.session.rollback()
    assert database_snapshot() == before


def test_naming_the_partys_own_authority_is_no_change_of_authority(councils):
    agreement = complete_draft(councils)
    party = agreement.pending_version.party_for(councils["BRD"].authority)
    changed = drafting.update_party(councils["LDS"].contributor, agreement, party.id, authority=councils["BRD"].authority,
                                    sharing_role="provider", controller_role="controller", legal_bases=["UKGDPR-A6-1-E"])
    assert changed.sharing_role == "provider"


def test_a_flow_between_authorities_that_are_not_parties_names_both_ends(councils):
    agreement = complete_draft(councils)
    flow = agreement.pending_version.flows[0]
    body = {"from_party_id": 10**6, "to_party_id": 10**6 + 1, "dataset_id": flow.dataset_id,
            "data_item_ids": [item.id for item in flow.data_items], "frequency": "periodic"}
    with pytest.raises(ValidationFailed) as refused:
        drafting.add_flow(councils["LDS"].contributor, agreement, body)
    assert set(refused.value.fields) == {"from_party_id", "to_party_id"}


def test_approving_without_naming_a_party_approves_for_the_only_one_the_approver_may(councils):
    agreement = complete_draft(councils)
    services.submit(councils["LDS"].contributor, agreement)
    approval = services.approve(councils["KIR"].approver, agreement, None,
                                content_hash=agreement.latest_version.content_hash)
    assert approval.authority == councils["KIR"].authority


def test_an_approver_of_several_parties_must_name_one(councils):
    agreement = complete_draft(councils)
    services.submit(councils["LDS"].contributor, agreement)
    both = make_user(memberships={councils["BRD"].authority: "approver", councils["KIR"].authority: "approver"})
    with pytest.raises(ValidationFailed) as refused:
        services.approve(both, agreement, None, content_hash=agreement.latest_version.content_hash)
    assert set(refused.value.fields) == {"authority_code"}
