"""The API's contract: an OpenAPI document describing every endpoint, its security and its errors."""

import pytest


@pytest.fixture
def spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json


def test_the_document_is_openapi_3_with_bearer_security(spec):
    assert spec["openapi"].startswith("3.")
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API token.",
    }
    assert spec["security"] == [{"bearerAuth": []}]


def test_every_api_route_is_documented(app, spec):
    api_rules = {
        rule.rule.replace("<string:", "{").replace("<int:", "{").replace(">", "}")
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and not rule.rule.endswith("openapi.json")
    }
    documented = {"/api/v1" + path if not path.startswith("/api/v1") else path for path in spec["paths"]}
    assert api_rules <= documented


def test_errors_have_the_published_shape(spec):
    error = spec["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"error", "message", "fields", "details"}
    assert error["required"] == ["error", "message"]


def test_endpoints_document_their_error_responses(spec):
    create = spec["paths"]["/api/v1/authorities"]["post"]["responses"]
    assert {"201", "401", "403", "422"} <= set(create)
    detail = spec["paths"]["/api/v1/authorities/{code}"]["get"]["responses"]
    assert {"200", "401", "404"} <= set(detail)
