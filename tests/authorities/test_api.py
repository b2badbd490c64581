"""The authorities API: the same search and filters as the page, detail by code, JSON errors."""

import pytest

from tests.factories import every_uk_council, make_user


@pytest.fixture
def api(app, api_as):
    every_uk_council()
    return api_as(make_user())


def test_list_returns_a_page_with_the_total(api):
    body = api.get("/api/v1/authorities").json
    assert body["total"] == 397
    assert body["page"] == 1
    assert len(body["items"]) == body["per_page"] == 100
    assert body["pages"] == 4


@pytest.mark.parametrize("query", ["E06000001", "HPL"])
def test_list_finds_hartlepool_by_gss_code_or_code(api, query):
    body = api.get("/api/v1/authorities", query_string={"q": query}).json
    assert [item["code"] for item in body["items"]] == ["HPL"]


def test_list_filters_like_the_page(api):
    body = api.get("/api/v1/authorities", query_string={"type": "SCO", "status": "all"}).json
    assert body["total"] == 32
    assert {item["nation"] for item in body["items"]} == {"Scotland"}


def test_detail_shows_successors_and_status(api):
    body = api.get("/api/v1/authorities/CMA").json
    assert body["current"] is False
    assert {s["code"] for s in body["successors"]} == {"CBD", "WAF"}


def test_unknown_code_is_404_json(api):
    response = api.get("/api/v1/authorities/NOPE")
    assert response.status_code == 404
    assert response.json == {"error": "not_found", "message": "There is no authority with the code NOPE."}


def test_a_bad_filter_is_422_naming_the_field(api):
    response = api.get("/api/v1/authorities", query_string={"nation": "Atlantis", "page": "0"})
    assert response.status_code == 422
    assert set(response.json["fields"]) == {"nation", "page"}


def test_without_a_token_the_api_answers_401_json(client):
    response = client.get("/api/v1/authorities")
    assert response.status_code == 401
    assert response.json["error"] == "unauthenticated"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_made_up_token_gets_401(client):
    response = client.get("/api/v1/authorities", headers={"Authorization": "Bearer dsr_made-up"})
    assert response.status_code == 401


def test_a_signed_in_browser_session_does_not_open_the_api(signed_in_client):
    client = signed_in_client(make_user())
    assert client.get("/api/v1/me").status_code == 401
