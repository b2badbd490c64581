"""The agreements API: the whole life of an agreement through /api/v1, and how it refuses what it must."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from registry.agreements import services
from registry.agreements.queries import agreement_by_reference
from registry.auditlog.models import AuditEntry
from registry.users.actors import SCHEDULER
from registry.core.clock import today
from registry.extensions import db
from tests.factories import make_authority, make_user
from tests.snapshots import database_snapshot

from .builders import PUBLIC_TASK_WITH_HEALTH

URL = "/api/v1/agreements"


def _patch(api, url, json, headers=None):
    return api.client.patch(url, json=json, headers={**api.headers, **(headers or {})})


def _audit_actions_for(reference: str) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.object_ref == reference).order_by(AuditEntry.index))
    )


class Audited:
    """Runs one API call and checks it wrote exactly the audit entries expected for the agreement."""

    def __init__(self, reference: str) -> None:
        self.reference = reference

    def __call__(self, expected: list[str], call):
        before = len(_audit_actions_for(self.reference))
        response = call()
        assert response.status_code in (200, 201, 204), response.json
        assert _audit_actions_for(self.reference)[before:] == expected
        return response


def _transition(api, reference, action, **values):
    return api.post(f"{URL}/{reference}/transitions", json={"action": action, **values})


SECTIONS = {
    "details": {"title": "Supporting families", "agreement_type": "information_sharing"},
    "purpose": {
        "purpose": "Identify families who need early help.",
        "functions_served": "Children's services",
        "benefits": "Earlier support",
        "necessity": "Only the items listed are needed to match families.",
    },
    "terms": {
        "retention": "Two years, then deleted.",
        "security_measures": "Encrypted at rest and in transit.",
        "rights_handling": "Each controller handles requests for its own data.",
        "breach_notification_hours": 24,
        "onward_sharing_allowed": False,
        "commercial_use_allowed": False,
        "international_transfers": False,
        "termination_arrangements": "Shared data is deleted within 30 days.",
    },
    "assurance": {"dpia_status": "completed", "dpia_reference": "DPIA-42", "dpia_date": today().isoformat(), "dpo_consulted": True},
    "dates": {
        "start_date": today().isoformat(),
        "review_date": (today() + timedelta(days=365)).isoformat(),
        "review_interval_months": 12,
        "end_date": (today() + timedelta(days=3 * 365)).isoformat(),
    },
}


def _approve_as_each_party(councils, api_as, reference, audited, codes=("LDS", "BRD", "KIR")):
    content_hash = api_as(councils["LDS"].viewer).get(f"{URL}/{reference}").json["pending_version"]["content_hash"]
    statuses = []
    for code in codes:
        response = audited(["agreement.approve"], lambda: _transition(api_as(councils[code].approver), reference, "approve", content_hash=content_hash))
        statuses.append(response.json["status"])
    return statuses


def test_the_whole_life_of_an_agreement_through_the_api(councils, api_as):
    lds, brd, kir = councils["LDS"], councils["BRD"], councils["KIR"]
    author = api_as(lds.contributor)

    created = author.post(URL, json={"lead_authority_code": "lds", "title": "Supporting families", "agreement_type": "disclosure"})
    assert created.status_code == 201, created.json
    reference = created.json["reference"]
    assert created.json["status"] == "draft"
    assert created.json["lead_authority"] == {"code": "LDS", "name": "Leeds City Council"}
    assert created.json["allowed_actions"] == ["submit"] and created.json["your_actions"] == ["submit"]
    audited = Audited(reference)
    assert _audit_actions_for(reference) == ["agreement.create"]

    for section, body in SECTIONS.items():
        saved = audited(["agreement.edit"], lambda: _patch(author, f"{URL}/{reference}/draft/{section}", body))
    assert saved.json["content"]["type"] == "information_sharing"
    assert saved.json["content"]["terms"]["breach_notification_hours"] == 24
    assert set(saved.json["problems"]) == {"parties", "flows"}

    lead_party = saved.json["parties"][0]
    assert lead_party["authority"]["code"] == "LDS"
    audited(["agreement.update_party"], lambda: author.put(
        f"{URL}/{reference}/draft/parties/{lead_party['id']}",
        json={"sharing_role": "both", "controller_role": "controller", "legal_bases": PUBLIC_TASK_WITH_HEALTH},
    ))
    party_ids = {"LDS": lead_party["id"]}
    for code in ("BRD", "KIR"):
        added = audited(["agreement.add_party"], lambda: author.post(
            f"{URL}/{reference}/draft/parties",
            json={"authority_code": code, "sharing_role": "recipient", "controller_role": "controller", "legal_bases": PUBLIC_TASK_WITH_HEALTH},
        ))
        assert added.status_code == 201
        assert added.json["legal_bases"] == sorted(PUBLIC_TASK_WITH_HEALTH)
        party_ids[code] = added.json["id"]

    items = [item.id for item in lds.dataset.items]
    flow = audited(["agreement.add_flow"], lambda: author.post(f"{URL}/{reference}/draft/flows", json={
        "from_party_id": party_ids["LDS"], "to_party_id": party_ids["BRD"], "dataset_id": lds.dataset.id,
        "data_item_ids": items, "frequency": "periodic", "method": "SFTP",
    }))
    assert flow.status_code == 201 and flow.json["data_item_ids"] == sorted(items)
    audited(["agreement.update_flow"], lambda: author.put(f"{URL}/{reference}/draft/flows/{flow.json['id']}", json={
        "from_party_id": party_ids["LDS"], "to_party_id": party_ids["BRD"], "dataset_id": lds.dataset.id,
        "data_item_ids": items, "frequency": "periodic", "method": "SFTP", "volume": "500 a month",
    }))
    audited(["agreement.add_flow"], lambda: author.post(f"{URL}/{reference}/draft/flows", json={
        "from_party_id": party_ids["LDS"], "to_party_id": party_ids["KIR"], "dataset_id": lds.dataset.id,
        "data_item_ids": items[:2], "frequency": "on_request",
    }))
    assert author.get(f"{URL}/{reference}/draft").json["problems"] == {}

    submitted = audited(["agreement.submit"], lambda: _transition(author, reference, "submit"))
    assert submitted.json["status"] == "proposed"
    version_1 = submitted.json["pending_version"]
    assert version_1["number"] == 1 and len(version_1["content_hash"]) == 64
    assert submitted.json["allowed_actions"] == ["approve", "request_changes", "withdraw"]

    assert _approve_as_each_party(councils, api_as, reference, audited) == ["proposed", "proposed", "approved"]

    services.start(SCHEDULER, agreement_by_reference(reference))
    db.session.commit()
    assert _audit_actions_for(reference)[-1] == "agreement.start"
    shown = api_as(kir.viewer).get(f"{URL}/{reference}").json
    assert shown["status"] == "active" and shown["current_version"]["number"] == 1
    assert shown["your_actions"] == []  # a viewer reads, and does nothing else

    amended = audited(["agreement.amend"], lambda: _transition(api_as(brd.contributor), reference, "amend"))
    assert amended.json["status"] == "active"
    assert amended.json["pending_version"]["state"] == "draft"
    terms = {**SECTIONS["terms"], "breach_notification_hours": 12}
    audited(["agreement.edit"], lambda: _patch(api_as(brd.contributor), f"{URL}/{reference}/draft/terms", terms))
    resubmitted = audited(["agreement.submit"], lambda: _transition(author, reference, "submit"))
    assert resubmitted.json["status"] == "active" and resubmitted.json["pending_version"]["number"] == 2
    assert _approve_as_each_party(councils, api_as, reference, audited) == ["active", "active", "active"]
    in_force = author.get(f"{URL}/{reference}").json
    assert in_force["current_version"]["number"] == 2 and in_force["pending_version"] is None
    assert in_force["content"]["terms"]["breach_notification_hours"] == 12
    assert [v["state"] for v in author.get(f"{URL}/{reference}/versions").json] == ["superseded", "current"]
    compared = author.get(f"{URL}/{reference}/compare").json
    assert compared == {"from": 1, "to": 2, "differences": ["Breach notification time (hours) changed from “24” to “12”."]}

    reviewing = audited(["agreement.start_review"], lambda: _transition(api_as(kir.contributor), reference, "start_review"))
    assert reviewing.json["status"] == "under_review"
    next_review = today() + timedelta(days=200)
    reviewed = audited(["agreement.complete_review"], lambda: _transition(
        api_as(lds.approver), reference, "complete_review", next_review=next_review.isoformat()
    ))
    assert reviewed.json["status"] == "active" and reviewed.json["review_due"] == next_review.isoformat()

    ended = audited(["agreement.terminate"], lambda: _transition(api_as(kir.approver), reference, "terminate", reason="The project has ended"))
    assert ended.json["status"] == "terminated"
    assert ended.json["allowed_actions"] == [] and ended.json["your_actions"] == []


def test_a_transition_the_workflow_does_not_allow_is_409_with_the_status_and_allowed_actions(councils, draft, api_as):
    api = api_as(councils["BRD"].approver)
    before = database_snapshot()
    response = _transition(api, draft.reference, "terminate", reason="Not wanted")
    assert response.status_code == 409
    assert response.json["error"] == "invalid_transition"
    assert response.json["message"] == "You cannot terminate an agreement that is draft."
    assert response.json["details"] == {"status": "draft", "allowed_actions": ["submit"]}
    assert database_snapshot() == before


def test_approving_an_agreement_in_force_is_409(councils, active, api_as):
    api = api_as(councils["BRD"].approver)
    before = database_snapshot()
    response = _transition(api, active.reference, "approve", content_hash="0" * 64)
    assert response.status_code == 409
    assert response.json["details"] == {
        "status": "active",
        # The table's actions, whoever may take them: expire is the scheduled job's.
        "allowed_actions": ["start_review", "amend", "suspend", "terminate", "expire"],
    }
    assert database_snapshot() == before


def test_a_stale_lock_version_in_the_body_is_409_and_changes_nothing(councils, draft, api_as):
    api = api_as(councils["LDS"].contributor)
    seen = api.get(f"{URL}/{draft.reference}").json["lock_version"]
    first = _patch(api, f"{URL}/{draft.reference}/draft/details", {**SECTIONS["details"], "title": "First", "lock_version": seen})
    assert first.status_code == 200 and first.json["lock_version"] == seen + 1
    before = database_snapshot()
    second = _patch(api, f"{URL}/{draft.reference}/draft/details", {**SECTIONS["details"], "title": "Second", "lock_version": seen})
    assert second.status_code == 409
    assert second.json["error"] == "conflict"
    assert second.json["details"] == {"lock_version": seen + 1}
    assert database_snapshot() == before


def test_a_stale_lock_version_in_if_match_is_409(councils, draft, api_as):
    api = api_as(councils["LDS"].contributor)
    seen = api.get(f"{URL}/{draft.reference}").json["lock_version"]
    brd = next(p for p in draft.latest_version.parties if p.authority.code == "BRD")
    _patch(api, f"{URL}/{draft.reference}/draft/details", {**SECTIONS["details"], "title": "Changed meanwhile"})
    before = database_snapshot()
    response = api.client.delete(f"{URL}/{draft.reference}/draft/parties/{brd.id}", headers={**api.headers, "If-Match": f'"{seen}"'})
    assert response.status_code == 409
    assert database_snapshot() == before


def test_a_current_lock_version_in_if_match_is_accepted(councils, draft, api_as):
    api = api_as(councils["LDS"].contributor)
    seen = api.get(f"{URL}/{draft.reference}").json["lock_version"]
    response = api.client.post(
        f"{URL}/{draft.reference}/transitions", json={"action": "submit"}, headers={**api.headers, "If-Match": f'W/"{seen}"'}
    )
    assert response.status_code == 200
    assert response.json["status"] == "proposed"


def test_a_malformed_if_match_is_422(councils, draft, api_as):
    api = api_as(councils["LDS"].contributor)
    response = api.client.post(f"{URL}/{draft.reference}/transitions", json={"action": "submit"}, headers={**api.headers, "If-Match": "yesterday"})
    assert response.status_code == 422
    assert set(response.json["fields"]) == {"If-Match"}


def test_a_section_must_be_sent_whole_and_422_names_each_missing_field(councils, draft, api_as):
    api = api_as(councils["LDS"].contributor)
    before = database_snapshot()
    response = _patch(api, f"{URL}/{draft.reference}/draft/terms", {"breach_notification_hours": 12})
    assert response.status_code == 422
    assert response.json["error"] == "validation_failed"
    assert set(response.json["fields"]) == {
        "retention", "security_measures", "onward_sharing_allowed", "commercial_use_allowed", "international_transfers",
    }
    assert database_snapshot() == before


def test_blank_required_text_is_422_as_in_the_form(councils, draft, api_as):
    response = _patch(api_as(councils["LDS"].contributor), f"{URL}/{draft.reference}/draft/details", {"title": "   ", "agreement_type": "disclosure"})
    assert response.status_code == 422
    assert response.json["fields"] == {"title": ["Enter a title"]}


def test_dates_that_break_the_rules_are_422_on_their_fields(councils, draft, api_as):
    body = {"start_date": today().isoformat(), "review_date": (today() - timedelta(days=1)).isoformat()}
    response = _patch(api_as(councils["LDS"].contributor), f"{URL}/{draft.reference}/draft/dates", body)
    assert response.status_code == 422
    assert response.json["fields"] == {"review_date": ["The review date must be on or after the start date"]}


def test_an_unknown_section_is_404(councils, draft, api_as):
    response = _patch(api_as(councils["LDS"].contributor), f"{URL}/{draft.reference}/draft/parties-and-more", {})
    assert response.status_code == 404


def test_a_flow_between_authorities_that_are_not_parties_is_422(councils, draft, api_as):
    lds = next(p for p in draft.latest_version.parties if p.authority.code == "LDS")
    body = {"from_party_id": lds.id, "to_party_id": 999_999, "dataset_id": councils["LDS"].dataset.id,
            "data_item_ids": [councils["LDS"].dataset.items[0].id], "frequency": "periodic"}
    response = api_as(councils["LDS"].contributor).post(f"{URL}/{draft.reference}/draft/flows", json=body)
    assert response.status_code == 422
    assert set(response.json["fields"]) == {"to_party_id"}


def test_adding_a_party_needs_a_known_authority(councils, draft, api_as):
    api = api_as(councils["LDS"].contributor)
    body = {"sharing_role": "both", "controller_role": "controller"}
    assert api.post(f"{URL}/{draft.reference}/draft/parties", json=body).json["fields"] == {"authority_code": ["Enter the code of an authority, like BRD"]}
    unknown = api.post(f"{URL}/{draft.reference}/draft/parties", json={**body, "authority_code": "NOPE"})
    assert unknown.status_code == 422
    assert unknown.json["fields"] == {"authority_code": ["There is no authority with the code NOPE"]}


def test_removing_the_lead_party_is_422(councils, draft, api_as):
    lds = next(p for p in draft.latest_version.parties if p.authority.code == "LDS")
    response = api_as(councils["LDS"].contributor).delete(f"{URL}/{draft.reference}/draft/parties/{lds.id}")
    assert response.status_code == 422
    assert set(response.json["fields"]) == {"party"}


def test_removing_a_party_removes_its_flows(councils, draft, api_as):
    api = api_as(councils["BRD"].contributor)
    kir = next(p for p in draft.latest_version.parties if p.authority.code == "KIR")
    assert api.delete(f"{URL}/{draft.reference}/draft/parties/{kir.id}").status_code == 204
    remaining = api.get(f"{URL}/{draft.reference}/draft").json
    assert [p["authority"]["code"] for p in remaining["parties"]] == ["LDS", "BRD"]
    assert [(f["from_party_id"], f["to_party_id"]) for f in remaining["flows"]] == [
        (remaining["parties"][0]["id"], remaining["parties"][1]["id"])
    ]


def test_submitting_an_incomplete_draft_is_422_by_section(councils, api_as):
    api = api_as(councils["LDS"].contributor)
    reference = api.post(URL, json={"lead_authority_code": "LDS", "title": "Thin", "agreement_type": "disclosure"}).json["reference"]
    before = database_snapshot()
    response = _transition(api, reference, "submit")
    assert response.status_code == 422
    assert {"purpose", "parties", "flows", "terms", "assurance", "dates"} <= set(response.json["fields"])
    assert "An agreement needs at least two parties" in response.json["fields"]["parties"]
    assert database_snapshot() == before


@pytest.mark.parametrize("action", ["request_changes", "suspend", "terminate"])
def test_an_action_that_needs_a_reason_is_422_without_one(councils, active, proposed, api_as, action):
    agreement = proposed if action == "request_changes" else active
    api = api_as(councils["BRD"].approver)
    before = database_snapshot()
    response = _transition(api, agreement.reference, action, reason="  ")
    assert response.status_code == 422
    assert response.json["fields"] == {"reason": ["Give a reason: the other parties will see it"]}
    assert database_snapshot() == before


def test_approving_needs_the_content_hash(councils, proposed, api_as):
    response = _transition(api_as(councils["BRD"].approver), proposed.reference, "approve")
    assert response.status_code == 422
    assert set(response.json["fields"]) == {"content_hash"}


def test_approving_for_a_stale_hash_is_409(councils, proposed, api_as):
    response = _transition(api_as(councils["BRD"].approver), proposed.reference, "approve", content_hash="0" * 64)
    assert response.status_code == 409
    assert response.json["details"] == {"content_hash": proposed.latest_version.content_hash}


def test_an_approver_of_two_parties_says_which_one_they_approve_for(councils, proposed, api_as):
    both = make_user(memberships={councils["BRD"].authority: "approver", councils["KIR"].authority: "approver"})
    content_hash = proposed.latest_version.content_hash
    api = api_as(both)
    unclear = _transition(api, proposed.reference, "approve", content_hash=content_hash)
    assert unclear.status_code == 422 and set(unclear.json["fields"]) == {"authority_code"}
    approved = _transition(api, proposed.reference, "approve", content_hash=content_hash, authority_code="kir")
    assert approved.status_code == 200
    assert [a["authority"]["code"] for a in approved.json["pending_version"]["approvals"]] == ["KIR"]
    # Only Bradford is left for them, so it need not be named.
    assert _transition(api, proposed.reference, "approve", content_hash=content_hash).status_code == 200


def test_the_submitter_cannot_approve_for_their_own_authority(councils, draft, api_as):
    api = api_as(councils["LDS"].approver)
    assert _transition(api, draft.reference, "submit").status_code == 200
    content_hash = draft.latest_version.content_hash
    before = database_snapshot()
    response = _transition(api, draft.reference, "approve", content_hash=content_hash)
    assert response.status_code == 403
    assert "another approver must approve it" in response.json["message"]
    assert database_snapshot() == before


def test_completing_a_review_needs_the_next_review_date(councils, active, api_as):
    services.start_review(councils["KIR"].contributor, active)
    db.session.commit()
    response = _transition(api_as(councils["LDS"].approver), active.reference, "complete_review")
    assert response.status_code == 422
    assert response.json["fields"] == {"next_review": ["Enter the next review date"]}


@pytest.mark.parametrize("action", ["start", "expire", "dance"])
def test_actions_that_are_not_people_s_are_422(councils, active, api_as, action):
    response = _transition(api_as(councils["LDS"].approver), active.reference, action)
    assert response.status_code == 422
    assert set(response.json["fields"]) == {"action"}


def test_withdrawing_a_proposal_needs_no_reason(councils, proposed, api_as):
    response = _transition(api_as(councils["LDS"].contributor), proposed.reference, "withdraw")
    assert response.status_code == 200
    assert response.json["status"] == "withdrawn"


def test_suspend_and_resume_by_whoever_suspended(councils, active, api_as):
    api = api_as(councils["BRD"].approver)
    assert _transition(api, active.reference, "suspend", reason="A breach is being investigated").json["status"] == "suspended"
    waiting = _transition(api_as(councils["KIR"].approver), active.reference, "resume")
    assert waiting.json["status"] == "suspended"
    assert _transition(api, active.reference, "resume").json["status"] == "active"


def test_request_changes_opens_a_new_draft(councils, proposed, api_as):
    response = _transition(api_as(councils["KIR"].approver), proposed.reference, "request_changes", reason="Add the retention schedule")
    assert response.status_code == 200
    assert response.json["status"] == "draft"
    assert [v["state"] for v in response.json["versions"]] == ["changes_requested", "draft"]


def test_the_list_shows_only_agreements_of_my_authorities(councils, draft, api_as):
    other = make_authority(code="WKF", name="Wakefield Council")
    outsider = make_user(memberships={other: "approver"})
    assert api_as(outsider).get(URL).json["total"] == 0
    body = api_as(councils["KIR"].viewer).get(URL).json
    assert body["total"] == 1 and body["page"] == 1 and body["pages"] == 1
    assert body["items"][0]["reference"] == draft.reference
    assert body["items"][0]["title"] == "Supporting families"
    assert api_as(make_user(system_role="auditor")).get(URL).json["total"] == 1
    assert api_as(make_user(system_role="admin")).get(URL).json["total"] == 0


def test_the_list_filters_like_the_page(councils, draft, active, api_as):
    api = api_as(councils["BRD"].viewer)
    assert [a["reference"] for a in api.get(URL, query_string={"status": "active"}).json["items"]] == [active.reference]
    assert api.get(URL, query_string={"role": "lead"}).json["total"] == 0
    assert api.get(URL, query_string={"role": "partner", "sort": "reference"}).json["total"] == 2


def test_a_search_with_no_word_in_it_finds_nothing_rather_than_failing(councils, draft, api_as):
    response = api_as(councils["LDS"].viewer).get(URL, query_string={"q": "<>"})
    assert response.status_code == 200
    assert response.json["total"] == 0


def test_a_bad_filter_is_422_naming_the_fields(councils, api_as):
    response = api_as(councils["LDS"].viewer).get(URL, query_string={"status": "asleep", "page": "0", "sort": "colour"})
    assert response.status_code == 422
    assert set(response.json["fields"]) == {"status", "page", "sort"}


def test_a_version_shows_its_frozen_content_and_approvals(councils, active, api_as):
    body = api_as(councils["KIR"].viewer).get(f"{URL}/{active.reference}/versions/1").json
    assert body["number"] == 1 and body["state"] == "current"
    assert body["content"]["reference"] == active.reference and body["content"]["version"] == 1
    assert {a["authority"]["code"] for a in body["approvals"]} == {"LDS", "BRD", "KIR"}
    assert api_as(councils["KIR"].viewer).get(f"{URL}/{active.reference}/versions/2").status_code == 404


def test_comparing_needs_two_versions(councils, active, api_as):
    response = api_as(councils["KIR"].viewer).get(f"{URL}/{active.reference}/compare")
    assert response.status_code == 422
    assert set(response.json["fields"]) == {"from"}


def test_the_draft_of_an_agreement_in_force_without_amendment_is_404(councils, active, api_as):
    assert api_as(councils["KIR"].viewer).get(f"{URL}/{active.reference}/draft").status_code == 404


def test_an_unknown_reference_is_404(councils, api_as):
    response = api_as(councils["LDS"].viewer).get(f"{URL}/DSA-1999-0001")
    assert response.status_code == 404
    assert response.json == {"error": "not_found", "message": "There is no agreement DSA-1999-0001."}


def test_an_unrelated_council_cannot_read_the_agreement(councils, draft, api_as):
    other = make_authority(code="WKF", name="Wakefield Council")
    response = api_as(make_user(memberships={other: "approver"})).get(f"{URL}/{draft.reference}")
    assert response.status_code == 403
    assert response.json["error"] == "forbidden"


@pytest.mark.parametrize(
    "method, path",
    [("GET", ""), ("POST", ""), ("GET", "/{ref}"), ("GET", "/{ref}/versions"), ("PATCH", "/{ref}/draft/details"),
     ("POST", "/{ref}/draft/parties"), ("DELETE", "/{ref}/draft/flows/1"), ("POST", "/{ref}/transitions")],
)
def test_without_a_token_every_endpoint_is_401_and_changes_nothing(councils, draft, client, method, path):
    before = database_snapshot()
    response = client.open(URL + path.format(ref=draft.reference), method=method, json={"action": "submit"})
    assert response.status_code == 401
    assert response.json["error"] == "unauthenticated"
    assert database_snapshot() == before


def test_text_with_a_nul_character_is_422_not_a_server_error(councils, draft, api_as):
    # PostgreSQL text cannot hold NUL: the request is refused before it reaches the database.
    api = api_as(councils["LDS"].contributor)
    body = {**SECTIONS["purpose"], "benefits": "Earlier\x00support"}
    assert _patch(api, f"{URL}/{draft.reference}/draft/purpose", body).status_code == 422
    assert api.get(URL, query_string={"q": "fam\x00ilies"}).status_code == 422
    assert api.get(f"{URL}/DSA\x00").status_code in (404, 422)


def test_a_body_that_is_not_json_is_400(councils, draft, api_as):
    api = api_as(councils["LDS"].contributor)
    response = api.client.post(
        f"{URL}/{draft.reference}/transitions", data=b"{not json", headers={**api.headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json["error"] == "bad_request"


def test_the_openapi_document_describes_each_endpoint_and_its_errors(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    # Every endpoint may answer 400: a request the server cannot read at all.
    expected = {
        ("/api/v1/agreements", "get"): {"200", "400", "401", "422"},
        ("/api/v1/agreements", "post"): {"201", "400", "401", "403", "422"},
        ("/api/v1/agreements/{reference}", "get"): {"200", "400", "401", "403", "404"},
        ("/api/v1/agreements/{reference}/versions", "get"): {"200", "400", "401", "403", "404"},
        ("/api/v1/agreements/{reference}/versions/{number}", "get"): {"200", "400", "401", "403", "404"},
        ("/api/v1/agreements/{reference}/compare", "get"): {"200", "400", "401", "403", "404", "422"},
        ("/api/v1/agreements/{reference}/draft", "get"): {"200", "400", "401", "403", "404"},
        **{
            (f"/api/v1/agreements/{{reference}}/draft/{section}", "patch"): {"200", "400", "401", "403", "404", "409", "422"}
            for section in SECTIONS
        },
        ("/api/v1/agreements/{reference}/draft/parties", "post"): {"201", "400", "401", "403", "404", "409", "422"},
        ("/api/v1/agreements/{reference}/draft/parties/{party_id}", "put"): {"200", "400", "401", "403", "404", "409", "422"},
        ("/api/v1/agreements/{reference}/draft/parties/{party_id}", "delete"): {"204", "400", "401", "403", "404", "409", "422"},
        ("/api/v1/agreements/{reference}/draft/flows", "post"): {"201", "400", "401", "403", "404", "409", "422"},
        ("/api/v1/agreements/{reference}/draft/flows/{flow_id}", "put"): {"200", "400", "401", "403", "404", "409", "422"},
        ("/api/v1/agreements/{reference}/draft/flows/{flow_id}", "delete"): {"204", "400", "401", "403", "404", "409", "422"},
        ("/api/v1/agreements/{reference}/draft/obligations", "post"): {"201", "400", "401", "403", "404", "409", "422"},
        ("/api/v1/agreements/{reference}/draft/obligations/{obligation_id}", "put"): {"200", "400", "401", "403", "404", "409", "422"},
        ("/api/v1/agreements/{reference}/draft/obligations/{obligation_id}", "delete"): {"204", "400", "401", "403", "404", "409", "422"},
        ("/api/v1/agreements/{reference}/transitions", "post"): {"200", "400", "401", "403", "404", "409", "422"},
    }
    documented = {
        (path, method): set(operation["responses"]) - {"default"}
        for path, operations in paths.items()
        if path.startswith(URL)
        for method, operation in operations.items()
        # Other features' endpoints under the same prefix (sign-off's) are checked with them.
        if method != "parameters" and operation.get("tags") == ["agreements_api"]
    }
    assert documented == expected
    transition = paths["/api/v1/agreements/{reference}/transitions"]["post"]["requestBody"]["content"]["application/json"]
    assert transition["schema"] == {"$ref": "#/components/schemas/TransitionBody"}
