"""The datasets API: list with filters, detail, changes by the owner's contributors and approvers, JSON errors."""

import pytest
import sqlalchemy as sa

from registry.agreements.models import Agreement, AgreementVersion, Flow, Party
from registry.datasets.models import DataItem, Dataset
from registry.extensions import db
from tests.factories import make_authority, make_dataset, make_user
from tests.snapshots import database_snapshot

NEW_DATASET = {
    "authority_code": "lds",
    "name": "Adult social care case records",
    "security_classification": "OFFICIAL-SENSITIVE",
    "items": [{"name": "NHS number", "personal": True}, {"name": "Disability", "special_category": True}],
}


@pytest.fixture
def leeds(app):
    """Return Leeds City Council."""
    return make_authority(code="LDS", name="Leeds City Council")


@pytest.fixture
def api(leeds, api_as):
    """The API as a contributor of Leeds."""
    return api_as(make_user(memberships={leeds: "contributor"}))


@pytest.fixture
def dataset(leeds):
    """Return a Leeds dataset with a personal item and a special category item."""
    return make_dataset(authority=leeds, name="Housing register")


def _patch(api, url, json):
    return api.client.patch(url, json=json, headers=api.headers)


def test_list_returns_a_page_with_the_total(api, dataset):
    body = api.get("/api/v1/datasets").json
    assert (body["total"], body["page"], body["pages"], body["per_page"]) == (1, 1, 1, 100)
    (shown,) = body["items"]
    assert shown["authority"] == {"code": "LDS", "name": "Leeds City Council"}
    assert shown["has_special_category_data"] is True
    assert [item["category"] for item in shown["items"]] == ["Personal", "Special category"]


def test_list_filters_like_the_page(api, leeds, dataset):
    make_dataset(
        authority=leeds, name="Council tax accounts", items=[("Address", "personal")], classification="OFFICIAL-SENSITIVE"
    )

    def names(**query):
        return [d["name"] for d in api.get("/api/v1/datasets", query_string=query).json["items"]]

    assert names(special_category="true") == ["Housing register"]
    assert names(classification="OFFICIAL-SENSITIVE") == ["Council tax accounts"]
    assert names(q="tax", authority="LDS") == ["Council tax accounts"]


def test_a_bad_filter_is_422_naming_the_field(api):
    response = api.get("/api/v1/datasets", query_string={"classification": "SECRET", "page": "0"})
    assert response.status_code == 422
    assert set(response.json["fields"]) == {"classification", "page"}


def test_detail_shows_the_dataset_and_its_items(api, dataset):
    body = api.get(f"/api/v1/datasets/{dataset.id}").json
    assert body["name"] == "Housing register"
    assert [item["name"] for item in body["items"]] == ["Name", "Health condition"]


def test_an_unknown_dataset_is_404_json(api):
    response = api.get("/api/v1/datasets/999")
    assert response.status_code == 404
    assert response.json == {"error": "not_found", "message": "There is no dataset with the id 999."}


def test_an_id_too_large_for_the_database_is_404_json(api):
    assert api.get(f"/api/v1/datasets/{2**64}").status_code == 404


def test_a_page_number_too_large_for_the_database_is_422(api):
    response = api.get("/api/v1/datasets", query_string={"page": 2**64})
    assert response.status_code == 422
    assert set(response.json["fields"]) == {"page"}


def test_contributor_adds_a_dataset_with_items(api):
    response = api.post("/api/v1/datasets", json=NEW_DATASET)
    assert response.status_code == 201
    assert response.json["authority"]["code"] == "LDS"
    assert [(i["name"], i["personal"], i["special_category"]) for i in response.json["items"]] == [
        ("NHS number", True, False),
        ("Disability", True, True),
    ]
    assert db.session.get(Dataset, response.json["id"]).security_classification == "OFFICIAL-SENSITIVE"


def test_a_malformed_dataset_is_422_naming_the_fields(api):
    response = api.post("/api/v1/datasets", json={"security_classification": "SECRET", "items": [{"personal": "maybe"}]})
    assert response.status_code == 422
    assert response.json["error"] == "validation_failed"
    assert set(response.json["fields"]) == {
        "authority_code",
        "name",
        "security_classification",
        "items.0.name",
        "items.0.personal",
    }
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Dataset)) == 0


def test_text_with_a_nul_character_is_422_not_a_database_error(api):
    before = database_snapshot()
    response = api.post("/api/v1/datasets", json={**NEW_DATASET, "items": [{"name": "\x00"}]})
    assert response.status_code == 422
    assert database_snapshot() == before


def test_a_body_that_is_not_json_is_400_json(api):
    response = api.client.post("/api/v1/datasets", data="{", headers={**api.headers, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json["error"] == "bad_request"


def test_an_unknown_authority_is_422_on_its_field(api):
    response = api.post("/api/v1/datasets", json={**NEW_DATASET, "authority_code": "NOPE"})
    assert response.status_code == 422
    assert response.json["fields"] == {"authority_code": ["There is no authority with the code NOPE"]}


def test_a_duplicate_name_is_422_on_its_field(api, dataset):
    response = api.post("/api/v1/datasets", json={**NEW_DATASET, "name": " housing REGISTER "})
    assert response.status_code == 422
    assert response.json["fields"] == {"name": ["Leeds City Council already has a dataset called housing REGISTER"]}


def test_duplicate_item_names_are_422_on_the_item(api):
    items = [{"name": "Address"}, {"name": "Address"}]
    response = api.post("/api/v1/datasets", json={**NEW_DATASET, "items": items})
    assert response.json["fields"] == {"items.1.name": ["There is already a data item called Address"]}


def test_patch_changes_only_the_fields_sent(api, dataset):
    response = _patch(api, f"/api/v1/datasets/{dataset.id}", {"system_of_record": "Housing system"})
    assert response.status_code == 200
    assert (response.json["name"], response.json["system_of_record"]) == ("Housing register", "Housing system")


def test_patch_cannot_move_a_dataset_to_another_authority(api, dataset):
    response = _patch(api, f"/api/v1/datasets/{dataset.id}", {"authority_code": "BRD"})
    assert response.status_code == 422
    assert set(response.json["fields"]) == {"authority_code"}


def test_contributor_adds_an_item(api, dataset):
    response = api.post(f"/api/v1/datasets/{dataset.id}/items", json={"name": "Conviction", "criminal_offence": True})
    assert response.status_code == 201
    assert response.json == {
        "id": response.json["id"],
        "name": "Conviction",
        "personal": True,
        "special_category": False,
        "criminal_offence": True,
        "category": "Criminal offence",
    }


def test_patch_changes_an_item(api, dataset):
    item = dataset.items[0]
    response = _patch(api, f"/api/v1/datasets/{dataset.id}/items/{item.id}", {"name": "Full name"})
    assert response.status_code == 200
    assert (response.json["name"], response.json["personal"]) == ("Full name", True)


def test_an_item_of_another_dataset_is_404(api, leeds, dataset):
    other = make_dataset(authority=leeds, name="Council tax accounts")
    response = _patch(api, f"/api/v1/datasets/{dataset.id}/items/{other.items[0].id}", {"name": "Full name"})
    assert response.status_code == 404


def test_delete_removes_an_item(api, dataset):
    item_id = dataset.items[0].id
    response = api.delete(f"/api/v1/datasets/{dataset.id}/items/{item_id}")
    assert response.status_code == 204
    assert db.session.get(DataItem, item_id) is None


def test_deleting_an_item_an_agreement_uses_is_409(api, dataset):
    partner = make_authority(code="NHS-RR8", type="NHS_TRUST", ods_code="RR8")
    version = AgreementVersion(agreement=Agreement(reference="DSA-2026-0007", lead_authority=partner), title="Discharge")
    parties = [Party(version=version, authority=dataset.authority), Party(version=version, authority=partner)]
    item = dataset.items[0]
    db.session.add(Flow(version=version, from_party=parties[0], to_party=parties[1], dataset=dataset, data_items=[item]))
    db.session.commit()
    before = database_snapshot()

    response = api.delete(f"/api/v1/datasets/{dataset.id}/items/{item.id}")

    assert response.status_code == 409
    assert response.json == {
        "error": "conflict",
        "message": "Name is used in agreement DSA-2026-0007, so it cannot be removed.",
    }
    assert database_snapshot() == before


def test_without_a_token_the_api_answers_401_json(client, dataset):
    response = client.get(f"/api/v1/datasets/{dataset.id}")
    assert response.status_code == 401
    assert response.json["error"] == "unauthenticated"


def test_the_openapi_document_describes_every_dataset_endpoint_and_its_errors(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    responses = {
        (path, method): set(operation["responses"])
        for path, operations in paths.items()
        if path.startswith("/api/v1/datasets")
        for method, operation in operations.items()
        if method != "parameters"
    }
    assert responses == {
        ("/api/v1/datasets", "get"): {"200", "400", "401", "422", "default"},
        ("/api/v1/datasets", "post"): {"201", "400", "401", "403", "422", "default"},
        ("/api/v1/datasets/{dataset_id}", "get"): {"200", "400", "401", "404", "default"},
        ("/api/v1/datasets/{dataset_id}", "patch"): {"200", "400", "401", "403", "404", "422", "default"},
        ("/api/v1/datasets/{dataset_id}/items", "post"): {"201", "400", "401", "403", "404", "422", "default"},
        ("/api/v1/datasets/{dataset_id}/items/{item_id}", "patch"): {"200", "400", "401", "403", "404", "422", "default"},
        ("/api/v1/datasets/{dataset_id}/items/{item_id}", "delete"): {"204", "400", "401", "403", "404", "409", "default"},
    }
