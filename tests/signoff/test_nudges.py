"""Nudging a party still to approve: an approver of the lead asks its approvers again, at most once every 3 days.

Through the agreement page's button and through the API, read back from a real SMTP server.
"""

from datetime import timedelta

import pytest

from registry.agreements import services as agreement_services
from registry.extensions import db
from registry.signoff.models import Chase
from tests.agreements.builders import agreement_in, complete_draft
from tests.conftest import post_form
from tests.reminders import audit_entries
from tests.snapshots import database_snapshot

from .conftest import approve, days_after_sending

URL = "/api/v1/agreements"


def nudge_page(client, agreement, code: str):
    """Press the agreement page's Nudge button for the authority with this code."""
    return post_form(client, f"/agreements/{agreement.reference}/nudges", {"authority_code": code},
                     from_page=f"/agreements/{agreement.reference}")


def nudge_api(api, agreement, code: str):
    return api.post(f"{URL}/{agreement.reference}/nudges", json={"authority_code": code})


def refused_nudge(api, agreement, code: str) -> dict:
    """Nudge through the API, check it was refused as a conflict with nothing changed, and return the answer."""
    before = database_snapshot()
    response = nudge_api(api, agreement, code)
    assert response.status_code == 409
    assert database_snapshot() == before
    return response.get_json()


def test_a_leads_approver_nudges_a_waiting_party_from_the_agreement_page(app, councils, proposed, signed_in_client, mailbox):
    days_after_sending(app, 5)
    client = signed_in_client(councils["LDS"].approver)

    response = nudge_page(client, proposed, "BRD")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/agreements/{proposed.reference}#sign-off")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bradford Council has been nudged: 2 approvers asked to approve version 1." in page


def test_the_nudged_partys_approvers_each_get_one_email_with_the_approve_link(app, councils, proposed, signed_in_client, mailbox):
    days_after_sending(app, 5)
    nudge_page(signed_in_client(councils["LDS"].approver), proposed, "BRD")

    received = mailbox.received()
    bradford = {councils["BRD"].approver.email, councils["BRD"].second_approver.email}
    assert set(received) == bradford
    email = received[councils["BRD"].approver.email]
    assert len(email) == 1
    assert email[0]["Subject"].strip() == f"Waiting for your approval: {proposed.reference} Supporting families, version 1"
    text = email[0].get_body(preferencelist=("plain",)).get_content()
    assert "Leeds City Council approver, for Leeds City Council, asks Bradford Council to approve version 1" in text
    assert "5 days ago" in text
    assert f"https://registry.example-council.gov.uk/agreements/{proposed.reference}/approve" in text


def test_a_leads_approver_nudges_a_waiting_party_through_the_api(app, councils, proposed, api_as, mailbox):
    today = days_after_sending(app, 2)

    response = nudge_api(api_as(councils["LDS"].approver), proposed, "KIR")

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body == {"reference": proposed.reference, "authority_code": "KIR", "authority_name": "Kirklees Council", "version": 1,
                    "nudged_on": today.isoformat(), "next_nudge_on": (today + timedelta(days=3)).isoformat(),
                    "told": 2}
    assert set(mailbox.received()) == {councils["KIR"].approver.email, councils["KIR"].second_approver.email}


NOT_LEAD_APPROVERS = ["lead contributor", "lead viewer", "partner approver", "outsider"]


def _person(councils, outsider, who: str):
    return {"lead contributor": councils["LDS"].contributor, "lead viewer": councils["LDS"].viewer,
            "partner approver": councils["BRD"].approver, "outsider": outsider}[who]


@pytest.mark.parametrize("who", NOT_LEAD_APPROVERS)
def test_only_an_approver_of_the_lead_may_nudge_on_the_page(councils, proposed, outsider, signed_in_client, who):
    client = signed_in_client(_person(councils, outsider, who))
    before = database_snapshot()

    # The form's token from any page: the outsider cannot even open the agreement's.
    response = post_form(client, f"/agreements/{proposed.reference}/nudges", {"authority_code": "KIR"}, from_page="/about")

    assert response.status_code == 403
    assert database_snapshot() == before


@pytest.mark.parametrize("who", NOT_LEAD_APPROVERS)
def test_only_an_approver_of_the_lead_may_nudge_through_the_api(councils, proposed, outsider, api_as, who):
    api = api_as(_person(councils, outsider, who))
    before = database_snapshot()

    response = nudge_api(api, proposed, "KIR")

    assert response.status_code == 403, response.get_json()
    assert database_snapshot() == before


def test_the_refusal_says_who_may_nudge(councils, proposed, api_as):
    response = nudge_api(api_as(councils["LDS"].contributor), proposed, "KIR")
    assert response.get_json()["message"] == "Only an approver of Leeds City Council, the lead authority, can nudge the parties."


def test_a_party_nudged_less_than_3_days_ago_is_not_nudged_again(app, councils, proposed, api_as, mailbox):
    lead = api_as(councils["LDS"].approver)
    days_after_sending(app, 1)
    assert nudge_api(lead, proposed, "BRD").status_code == 201
    mailbox.received()
    days_after_sending(app, 3)
    other = api_as(councils["LDS"].second_approver)
    answer = refused_nudge(other, proposed, "BRD")

    assert "Bradford Council was nudged on" in answer["message"]
    assert "You can nudge it again from" in answer["message"]
    assert answer["details"]["next_nudge_on"] == days_after_sending(app, 4).isoformat()
    assert len(mailbox.received()[councils["BRD"].approver.email]) == 1


def test_a_party_may_be_nudged_again_3_days_later(app, councils, proposed, api_as, mailbox):
    lead = api_as(councils["LDS"].approver)
    days_after_sending(app, 1)
    assert nudge_api(lead, proposed, "BRD").status_code == 201
    days_after_sending(app, 4)

    assert nudge_api(lead, proposed, "BRD").status_code == 201
    assert len(mailbox.received()[councils["BRD"].approver.email]) == 2


def test_each_party_has_its_own_3_days(app, councils, proposed, api_as):
    lead = api_as(councils["LDS"].approver)
    assert nudge_api(lead, proposed, "BRD").status_code == 201
    assert nudge_api(lead, proposed, "KIR").status_code == 201


def test_a_party_that_has_approved_is_not_nudged(councils, proposed, api_as):
    approve(councils, proposed, "BRD")
    lead = api_as(councils["LDS"].approver)
    answer = refused_nudge(lead, proposed, "BRD")

    assert answer["message"].startswith("Bradford Council approved version 1 on ")


def test_an_agreement_that_is_not_proposed_is_not_nudged_about(councils, api_as):
    active = agreement_in("active", councils)
    lead = api_as(councils["LDS"].approver)
    answer = refused_nudge(lead, active, "BRD")

    assert answer["message"] == (
        f"{active.reference} is not waiting for anyone's approval: only a proposed version can be nudged about.")


def test_an_authority_that_is_no_party_is_not_nudged(councils, proposed, outsider, api_as):
    lead = api_as(councils["LDS"].approver)
    answer = refused_nudge(lead, proposed, "YOR")

    assert answer["message"] == "City of York Council is not a party to version 1."


def test_an_unknown_authority_code_is_refused_naming_the_field(councils, proposed, api_as):
    response = nudge_api(api_as(councils["LDS"].approver), proposed, "NOPE")

    assert response.status_code == 422
    assert response.get_json()["fields"] == {"authority_code": ["There is no authority with the code NOPE"]}


def test_a_missing_authority_code_is_refused_on_the_page(councils, proposed, signed_in_client):
    client = signed_in_client(councils["LDS"].approver)
    before = database_snapshot()

    response = post_form(client, f"/agreements/{proposed.reference}/nudges", {}, from_page=f"/agreements/{proposed.reference}")

    assert response.status_code == 422
    assert "Choose the authority to nudge" in response.get_data(as_text=True)
    assert database_snapshot() == before


def test_a_party_with_nobody_else_to_ask_is_not_nudged(councils, api_as):
    """Leeds's approver submitted it (so cannot approve it for Leeds), and the other is the one nudging."""
    agreement = complete_draft(councils)
    agreement_services.submit(councils["LDS"].approver, agreement)
    db.session.commit()
    other = api_as(councils["LDS"].second_approver)
    answer = refused_nudge(other, agreement, "LDS")

    assert answer["message"].startswith("Nobody at Leeds City Council can approve version 1 yet")


def test_the_nudger_is_not_told_of_their_own_nudge(councils, proposed, api_as, mailbox):
    response = nudge_api(api_as(councils["LDS"].approver), proposed, "LDS")

    assert response.status_code == 201
    assert response.get_json()["told"] == 1
    assert set(mailbox.received()) == {councils["LDS"].second_approver.email}


def test_a_nudge_is_recorded_with_the_party_and_in_the_audit_log_without_personal_data(app, councils, proposed, api_as):
    nudger = councils["LDS"].approver
    nudge_api(api_as(nudger), proposed, "BRD")

    chase = db.session.query(Chase).one()
    assert (chase.kind, chase.authority.code, chase.sent_by_id, chase.version_id) == ("nudge", "BRD", nudger.id, proposed.latest_version_id)
    [entry] = audit_entries("agreement.nudge")
    assert entry["object"] == {"type": "agreement", "ref": proposed.reference}
    assert entry["data"] == {"version": 1, "authority": "BRD", "waiting_days": 0, "told": 2}
    assert entry["authorities"] == ["BRD", "LDS"]
    assert entry["actor"] == {"type": "user", "id": nudger.id, "authority": "LDS"}


def test_a_proposed_amendment_can_be_nudged_about(councils, api_as):
    active = agreement_in("active", councils)
    agreement_services.amend(councils["LDS"].contributor, active)
    db.session.commit()
    agreement_services.submit(councils["LDS"].contributor, active)
    db.session.commit()

    response = nudge_api(api_as(councils["LDS"].approver), active, "KIR")

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["version"] == 2


def test_the_openapi_document_describes_the_sign_off_endpoints_and_their_errors(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]

    documented = {(path, method): set(operation["responses"]) - {"default"}
                  for path, operations in paths.items() for method, operation in operations.items()
                  if method != "parameters" and operation.get("tags") == ["signoff_api"]}

    assert documented == {
        ("/api/v1/agreements/{reference}/nudges", "post"): {"201", "400", "401", "403", "404", "409", "422"},
        ("/api/v1/agreements/{reference}/sign-off", "get"): {"200", "400", "401", "403", "404"},
    }
