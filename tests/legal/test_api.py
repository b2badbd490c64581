"""The legal bases API: list with search and filter, detail, and adding and changing for administrators only."""

import pytest

from registry.legal.queries import legal_basis_by_code
from tests.audit.helpers import entry_bodies
from tests.factories import load_legal_vocabulary, make_authority, make_user
from tests.snapshots import database_snapshot

GATEWAY = {
    "code": "gw-hra2017-s10",
    "kind": "gateway",
    "mandatory": True,
    "citation": "Homelessness Reduction Act 2017, section 10",
    "title": "Homelessness Reduction Act 2017, section 10",
    "summary": "Specified public authorities must refer people who may be homeless to a housing authority.",
    "url": "https://www.legislation.gov.uk/ukpga/2017/13/section/10",
    "commenced": "2018-10-01",
}


@pytest.fixture
def vocabulary(app):
    """Load the bundled legal vocabulary."""
    load_legal_vocabulary()


def _patch(api, url, body):
    return api.client.patch(url, json=body, headers=api.headers)


def test_list_returns_every_legal_basis_in_order(vocabulary, api_as):
    body = api_as(make_user()).get("/api/v1/legal-bases").json
    assert body["total"] == len(body["items"]) == 72
    assert body["items"][0]["code"] == "UKGDPR-A6-1-A"
    assert body["items"][-1]["kind"] == "gateway"


def test_list_filters_by_kind_and_searches_like_the_page(vocabulary, api_as):
    body = api_as(make_user()).get("/api/v1/legal-bases", query_string={"kind": "schedule1", "q": "safeguarding"}).json
    assert [item["code"] for item in body["items"]] == ["DPA2018-S1-P18", "DPA2018-S1-P19"]


def test_detail_shows_every_field(vocabulary, api_as):
    body = api_as(make_user()).get("/api/v1/legal-bases/GW-CA2004-S11").json
    assert body["citation"] == "Children Act 2004, section 11"
    assert body["kind_name"] == "Statutory power or gateway"
    assert body["mandatory"] is True
    assert body["commenced"] == "2005-10-01"
    assert body["url"].startswith("https://www.legislation.gov.uk/")
    assert body["notes"]


def test_unknown_code_is_404_json(vocabulary, api_as):
    response = api_as(make_user()).get("/api/v1/legal-bases/NOPE")
    assert response.status_code == 404
    assert response.json == {"error": "not_found", "message": "There is no legal basis with the code NOPE."}


def test_an_unknown_kind_filter_is_422_naming_the_field(api_as):
    response = api_as(make_user()).get("/api/v1/legal-bases", query_string={"kind": "article99"})
    assert response.status_code == 422
    assert set(response.json["fields"]) == {"kind"}


def test_without_a_token_the_api_answers_401(client):
    response = client.get("/api/v1/legal-bases")
    assert response.status_code == 401
    assert response.json["error"] == "unauthenticated"


def test_admin_adds_a_gateway(api_as, admin):
    response = api_as(admin).post("/api/v1/legal-bases", json=GATEWAY)
    assert response.status_code == 201
    assert response.json["code"] == "GW-HRA2017-S10"
    assert response.json["public_authority_may_rely"] is True
    assert legal_basis_by_code("GW-HRA2017-S10").mandatory is True
    assert entry_bodies()[-1]["action"] == "legal_basis.create"


def test_a_malformed_body_is_422_naming_each_field(api_as, admin):
    body = {**GATEWAY, "code": "GW HRA", "kind": "article7", "url": "https://example.org/act", "commenced": "2018-02-31"}
    del body["title"]
    response = api_as(admin).post("/api/v1/legal-bases", json=body)
    assert response.status_code == 422
    assert response.json["error"] == "validation_failed"
    assert set(response.json["fields"]) == {"code", "kind", "url", "commenced", "title"}


def test_a_gateway_without_mandatory_is_422(api_as, admin):
    body = {name: value for name, value in GATEWAY.items() if name != "mandatory"}
    response = api_as(admin).post("/api/v1/legal-bases", json=body)
    assert response.status_code == 422
    assert response.json["fields"] == {"mandatory": ["Select whether the gateway is mandatory (a duty) or permissive (a power)"]}


def test_a_duplicate_code_is_422(vocabulary, api_as, admin):
    response = api_as(admin).post("/api/v1/legal-bases", json={**GATEWAY, "code": "GW-CA2004-S11"})
    assert response.status_code == 422
    assert response.json["fields"] == {"code": ["Another legal basis already has the code GW-CA2004-S11"]}


@pytest.mark.parametrize("role", ["viewer", "approver"])
def test_people_who_are_not_administrators_get_403_and_change_nothing(api_as, role):
    api = api_as(make_user(memberships={make_authority(): role}))
    before = database_snapshot()
    response = api.post("/api/v1/legal-bases", json=GATEWAY)
    assert response.status_code == 403
    assert response.json["error"] == "forbidden"
    assert database_snapshot() == before


def test_an_auditor_cannot_change_a_legal_basis(vocabulary, api_as):
    api = api_as(make_user(system_role="auditor"))
    before = database_snapshot()
    response = _patch(api, "/api/v1/legal-bases/GW-CA2004-S11", {"mandatory": False})
    assert response.status_code == 403
    assert database_snapshot() == before


def test_adding_without_a_token_is_401_and_changes_nothing(client):
    before = database_snapshot()
    response = client.post("/api/v1/legal-bases", json=GATEWAY)
    assert response.status_code == 401
    assert database_snapshot() == before


def test_admin_changes_only_the_fields_sent(vocabulary, api_as, admin):
    response = _patch(api_as(admin), "/api/v1/legal-bases/GW-DEA2017-S35", {"commenced": "2018-04-01"})
    assert response.status_code == 200
    assert response.json["commenced"] == "2018-04-01"
    assert response.json["citation"] == "Digital Economy Act 2017, section 35"
    assert entry_bodies()[-1]["data"] == {"changes": {"commenced": {"from": "2018-03-15", "to": "2018-04-01"}}}


def test_a_change_of_kind_is_checked_against_the_rules(vocabulary, api_as, admin):
    response = _patch(api_as(admin), "/api/v1/legal-bases/GW-DEA2017-S35", {"kind": "schedule1"})
    assert response.status_code == 422
    assert set(response.json["fields"]) == {"part", "paragraph"}


def test_the_code_cannot_be_changed(vocabulary, api_as, admin):
    response = _patch(api_as(admin), "/api/v1/legal-bases/GW-DEA2017-S35", {"code": "GW-OTHER"})
    assert response.status_code == 422
    assert set(response.json["fields"]) == {"code"}


def test_changing_an_unknown_code_is_404(api_as, admin):
    assert _patch(api_as(admin), "/api/v1/legal-bases/NOPE", {"notes": "x"}).status_code == 404


def test_the_openapi_document_lists_the_errors_of_each_endpoint(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"201", "401", "403", "422"} <= set(paths["/api/v1/legal-bases"]["post"]["responses"])
    assert {"200", "401", "403", "404", "422"} <= set(paths["/api/v1/legal-bases/{code}"]["patch"]["responses"])
    assert {"200", "401", "404"} <= set(paths["/api/v1/legal-bases/{code}"]["get"]["responses"])
