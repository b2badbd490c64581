"""The party form without JavaScript: the authority picked from a plain list by name, the legal
bases asked for by what flows to and from the party, and the server checking every choice."""

import re

import pytest

from registry.agreements import drafting
from registry.extensions import db
from tests.conftest import post_form

from .builders import complete_draft, make_test_dataset


def _new_agreement(councils):
    leeds = councils["LDS"]
    agreement = drafting.create_agreement(leeds.contributor, leeds.authority, title="Early help", agreement_type="information_sharing")
    db.session.commit()
    return agreement


def _party(agreement, code):
    db.session.expire_all()
    return next((p for p in agreement.latest_version.parties if p.authority.code == code), None)


def _boxes(html: str) -> set[str]:
    return set(re.findall(r'name="legal_bases" type="checkbox" value="([^"]+)"', html))


def test_the_authority_is_a_plain_select_listing_by_name_those_not_yet_parties(councils, lds_contributor):
    agreement = _new_agreement(councils)
    html = lds_contributor.get(f"/agreements/{agreement.reference}/draft/parties/new").get_data(as_text=True)
    select = re.search(r'<select class="govuk-select[^"]*" id="authority_code" name="authority_code"[^>]*>(.*?)</select>', html, re.S)
    assert select, "no plain <select> for the authority: the form would need JavaScript"
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))
    assert options == [("", "Choose an authority"), ("BRD", "Bradford Council"), ("KIR", "Kirklees Council")]  # Leeds is the lead already


def test_a_party_is_added_from_the_select_without_javascript(councils, lds_contributor):
    agreement = _new_agreement(councils)
    response = post_form(lds_contributor, f"/agreements/{agreement.reference}/draft/parties/new", {
        "authority_code": "BRD", "sharing_role": "recipient", "controller_role": "controller",
        "legal_bases": ["UKGDPR-A6-1-E", "GW-CDA1998-S115"]})
    assert response.status_code == 302
    party = _party(agreement, "BRD")
    assert party is not None
    assert sorted(b.code for b in party.legal_bases) == ["GW-CDA1998-S115", "UKGDPR-A6-1-E"]


@pytest.mark.parametrize(("sent", "message"), [
    ({"authority_code": ""}, "Choose which authority is the party"),
    ({"authority_code": "NOPE"}, "There is no authority with the code NOPE"),
    ({"authority_code": "LDS"}, "Leeds City Council is already a party"),
    ({"authority_code": "BRD", "legal_bases": ["UKGDPR-A6-1-E", "MADE-UP"]}, "There is no legal basis MADE-UP"),
])
def test_the_server_refuses_what_the_form_would_not_offer(councils, lds_contributor, sent, message):
    agreement = _new_agreement(councils)
    response = post_form(lds_contributor, f"/agreements/{agreement.reference}/draft/parties/new",
                         {"sharing_role": "recipient", "controller_role": "controller", **sent})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _party(agreement, "BRD") is None


def test_a_new_party_is_asked_for_every_kind_of_basis_because_no_flow_reaches_it_yet(councils, lds_contributor):
    agreement = _new_agreement(councils)
    html = lds_contributor.get(f"/agreements/{agreement.reference}/draft/parties/new").get_data(as_text=True)
    assert len(_boxes(html)) == 72


def test_a_party_that_special_category_data_flows_to_is_asked_for_article9_and_schedule1_but_not_article10(councils, lds_contributor):
    agreement = complete_draft(councils)  # Leeds sends Bradford health data; nothing criminal flows
    party = _party(agreement, "BRD")
    html = lds_contributor.get(f"/agreements/{agreement.reference}/draft/parties/{party.id}").get_data(as_text=True)
    boxes = _boxes(html)
    assert "UKGDPR-A9-2-H" in boxes and "DPA2018-S1-P18" in boxes
    assert "UKGDPR-A10" not in boxes
    assert "No criminal offence data flows to or from Bradford Council" in html


def test_a_party_that_criminal_offence_data_flows_to_is_asked_for_article10_and_schedule1_but_not_article9(councils, lds_contributor):
    agreement = _new_agreement(councils)
    author, leeds, bradford = councils["LDS"].contributor, councils["LDS"].authority, councils["BRD"].authority
    offences = make_test_dataset(leeds, "Anti-social behaviour cases", [("Name", "personal"), ("Offence", "criminal")])
    party = drafting.add_party(author, agreement, bradford, sharing_role="recipient", controller_role="controller")
    lead = agreement.latest_version.party_for(leeds)
    drafting.add_flow(author, agreement, {"from_party_id": lead.id, "to_party_id": party.id, "dataset_id": offences.id,
                                          "data_item_ids": [item.id for item in offences.items], "frequency": "periodic"})
    db.session.commit()
    html = lds_contributor.get(f"/agreements/{agreement.reference}/draft/parties/{party.id}").get_data(as_text=True)
    boxes = _boxes(html)
    assert "UKGDPR-A10" in boxes and "DPA2018-S1-P10" in boxes
    assert not {b for b in boxes if b.startswith("UKGDPR-A9")}
    assert "No special category data flows to or from Bradford Council" in html


def test_a_party_no_special_or_criminal_data_reaches_is_asked_only_for_article6_and_powers(councils, lds_contributor):
    agreement = complete_draft(councils)  # Leeds sends Kirklees no health data
    party = _party(agreement, "KIR")
    drafting.update_party(councils["LDS"].contributor, agreement, party.id, sharing_role="both", controller_role="controller",
                          legal_bases=["UKGDPR-A6-1-E"])
    db.session.commit()
    html = lds_contributor.get(f"/agreements/{agreement.reference}/draft/parties/{party.id}").get_data(as_text=True)
    boxes = _boxes(html)
    assert "UKGDPR-A6-1-E" in boxes and "GW-CA2004-S10" in boxes
    assert not {b for b in boxes if b.startswith(("UKGDPR-A9", "UKGDPR-A10", "DPA2018-S1"))}
    assert "No special category or criminal offence data flows to or from Kirklees Council" in html


def test_a_basis_already_chosen_stays_on_the_form_so_saving_keeps_it(councils, lds_contributor):
    agreement = complete_draft(councils)  # Kirklees relies on Article 9(2)(g) though no health data reaches it
    party = _party(agreement, "KIR")
    url = f"/agreements/{agreement.reference}/draft/parties/{party.id}"
    html = lds_contributor.get(url).get_data(as_text=True)
    assert {"UKGDPR-A9-2-G", "DPA2018-S1-P6"} <= _boxes(html)
    assert re.search(r'value="UKGDPR-A9-2-G" checked', html)


def test_the_chosen_bases_are_listed_in_words_at_the_top(councils, lds_contributor):
    agreement = complete_draft(councils)
    party = _party(agreement, "BRD")
    html = lds_contributor.get(f"/agreements/{agreement.reference}/draft/parties/{party.id}").get_data(as_text=True)
    summary = re.search(r'data-module="app-chosen-bases">(.*?)</div>', html, re.S).group(1)
    assert re.findall(r"<li>([^<]*)</li>", summary) == [
        "UK GDPR Article 6(1)(e): Public task", "UK GDPR Article 9(2)(g): Substantial public interest",
        "Data Protection Act 2018, Schedule 1, Part 2, paragraph 6: Statutory etc and government purposes",
    ]
    assert html.index("Chosen so far") < html.index('name="legal_bases"')
