"""On every proposed agreement (and proposed amendment): who still has to approve, and for how long.

The panel is added to the agreement's page through AgreementPageShown; the API says the same
at /api/v1/agreements/<reference>/sign-off.
"""

import re
from datetime import timedelta

from registry.agreements import services as agreement_services
from registry.core.templating import format_date
from registry.extensions import db
from tests.agreements.builders import agreement_in

from .conftest import approve, days_after_sending


def panel(client, agreement) -> str:
    """Return the text of the agreement page's "Who still has to approve" panel, or "" if it has none."""
    html = client.get(f"/agreements/{agreement.reference}").get_data(as_text=True)
    match = re.search(r'<section class="app-sign-off".*?</section>', html, re.DOTALL)
    if not match:
        return ""
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split())


def test_a_proposal_says_who_still_has_to_approve_and_for_how_long(app, councils, proposed, signed_in_client):
    approve(councils, proposed, "LDS", "BRD")
    days_after_sending(app, 12)

    text = panel(signed_in_client(councils["KIR"].viewer), proposed)

    assert "Waiting for Kirklees Council for 12 days: version 1 was sent for approval on" in text


def test_every_party_still_to_approve_is_named(councils, proposed, signed_in_client):
    text = panel(signed_in_client(councils["BRD"].viewer), proposed)

    assert "Waiting for Bradford Council, Kirklees Council and Leeds City Council since today" in text


def test_each_party_shows_whether_it_approved_and_when(app, councils, proposed, signed_in_client):
    approve(councils, proposed, "BRD")
    days_after_sending(app, 1)

    text = panel(signed_in_client(councils["LDS"].viewer), proposed)

    assert "Kirklees Council Waiting for 1 day" in text
    assert "Leeds City Council Waiting for 1 day" in text
    assert re.search(r"Bradford Council Approved on \d+ \w+ \d{4}", text)


def test_a_proposed_amendment_says_who_still_has_to_approve_it(app, councils, signed_in_client):
    active = agreement_in("active", councils)
    agreement_services.amend(councils["BRD"].contributor, active)
    db.session.commit()
    agreement_services.submit(councils["LDS"].contributor, active)
    db.session.commit()
    days_after_sending(app, 3)

    text = panel(signed_in_client(councils["LDS"].viewer), active)

    assert "for 3 days: the amendment, version 2, was sent for approval on" in text


def test_an_agreement_with_nothing_proposed_has_no_such_panel(councils, signed_in_client):
    active = agreement_in("active", councils)

    assert panel(signed_in_client(councils["LDS"].approver), active) == ""


def test_the_leads_approvers_see_a_nudge_button_for_each_party_still_to_approve(councils, proposed, signed_in_client):
    approve(councils, proposed, "BRD")
    html = signed_in_client(councils["LDS"].approver).get(f"/agreements/{proposed.reference}").get_data(as_text=True)

    buttons = re.findall(r'name="authority_code" value="(\w+)"', html)
    assert sorted(buttons) == ["KIR", "LDS"]
    assert 'Nudge<span class="govuk-visually-hidden"> Kirklees Council</span>' in html


def test_nobody_else_sees_a_nudge_button(councils, proposed, signed_in_client):
    for person in (councils["LDS"].contributor, councils["BRD"].approver, councils["KIR"].viewer):
        html = signed_in_client(person).get(f"/agreements/{proposed.reference}").get_data(as_text=True)
        assert 'name="authority_code"' not in html


def test_a_party_nudged_lately_says_when_it_can_be_nudged_again_instead_of_a_button(app, councils, proposed, signed_in_client, api_as):
    today = days_after_sending(app, 2)
    api_as(councils["LDS"].approver).post(f"/api/v1/agreements/{proposed.reference}/nudges", json={"authority_code": "KIR"})

    text = panel(signed_in_client(councils["LDS"].approver), proposed)

    nudged, again = format_date(today), format_date(today + timedelta(days=3))
    assert f"Kirklees Council Waiting for 2 days Nudged on {nudged} You can nudge again from {again}" in text


def test_the_api_says_who_still_has_to_approve_and_who_the_caller_may_nudge(app, councils, proposed, api_as):
    approve(councils, proposed, "BRD")
    today = days_after_sending(app, 4)

    body = api_as(councils["LDS"].approver).get(f"/api/v1/agreements/{proposed.reference}/sign-off").get_json()

    assert body["version"] == 1 and body["reference"] == proposed.reference
    assert [(p["authority_name"], p["waiting_days"], p["you_may_nudge"]) for p in body["parties"]] == [
        ("Kirklees Council", 4, True), ("Leeds City Council", 4, True), ("Bradford Council", None, False)]
    assert body["parties"][2]["approved_on"] is not None
    assert body["submitted_on"] == (today - timedelta(days=4)).isoformat()


def test_the_api_answers_an_empty_list_when_nothing_is_proposed(councils, api_as):
    active = agreement_in("active", councils)

    body = api_as(councils["BRD"].viewer).get(f"/api/v1/agreements/{active.reference}/sign-off").get_json()

    assert body == {"reference": active.reference, "version": None, "submitted_on": None, "parties": []}


def test_the_api_refuses_someone_who_cannot_see_the_agreement(proposed, outsider, api_as):
    response = api_as(outsider).get(f"/api/v1/agreements/{proposed.reference}/sign-off")

    assert response.status_code == 403
