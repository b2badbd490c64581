"""Every dataset change, tried by every kind of person: only contributors and approvers of the owner succeed.

Refused attempts get 403 (or a sign-in redirect, or 401 on the API) and change nothing.
"""

import pytest

from tests.conftest import post_form
from tests.factories import make_authority, make_dataset, make_user
from tests.shared_data import shared_fixture
from tests.snapshots import database_snapshot

MANAGERS = {"contributor of owner", "approver of owner"}
ACTORS = [
    "anonymous",
    "viewer of owner",
    "contributor of owner",
    "approver of owner",
    "viewer of other",
    "contributor of other",
    "approver of other",
    "auditor",
    "admin",
]


@shared_fixture
def world():
    """A dataset held by Leeds, a person of each kind for Leeds and for Bradford, an auditor and an admin."""
    leeds = make_authority(code="LDS", name="Leeds City Council")
    bradford = make_authority(code="BRD", name="Bradford Council")
    people = {"auditor": make_user(system_role="auditor"), "admin": make_user(system_role="admin")}
    for role in ("viewer", "contributor", "approver"):
        people[f"{role} of owner"] = make_user(memberships={leeds: role})
        people[f"{role} of other"] = make_user(memberships={bradford: role})
    dataset = make_dataset(authority=leeds, name="Adult social care case records")
    return {"people": people, "dataset": dataset.id, "item": dataset.items[0].id}


HTML_ACTIONS = {
    "add dataset": ("/datasets/new", {"authority_code": "LDS", "name": "Housing register"}),
    "change dataset": ("/datasets/{dataset}/edit", {"name": "Renamed", "security_classification": "OFFICIAL"}),
    "add item": ("/datasets/{dataset}/items/new", {"name": "Address", "personal": "true"}),
    "change item": ("/datasets/{dataset}/items/{item}/edit", {"name": "Full name", "personal": "true"}),
    "remove item": ("/datasets/{dataset}/items/{item}/remove", {}),
}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("action", HTML_ACTIONS)
def test_only_contributors_and_approvers_of_the_owner_change_datasets_in_the_ui(app, world, signed_in_client, actor, action):
    url_template, data = HTML_ACTIONS[action]
    url = url_template.format(dataset=world["dataset"], item=world["item"])
    client = app.test_client() if actor == "anonymous" else signed_in_client(world["people"][actor])
    before = database_snapshot()

    response = post_form(client, url, data, from_page="/sign-in" if actor == "anonymous" else "/dashboard")

    if actor in MANAGERS:
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        assert database_snapshot() != before
    else:
        assert response.status_code == (302 if actor == "anonymous" else 403)
        if actor == "anonymous":
            assert response.headers["Location"].startswith("/sign-in")
        assert database_snapshot() == before


CHANGE_FORMS = ["/datasets/{dataset}/edit", "/datasets/{dataset}/items/new", "/datasets/{dataset}/items/{item}/edit"]


@pytest.mark.parametrize("actor", ACTORS[1:])
@pytest.mark.parametrize("page", CHANGE_FORMS)
def test_only_managers_of_the_owner_are_shown_the_change_forms(world, signed_in_client, actor, page):
    response = signed_in_client(world["people"][actor]).get(page.format(dataset=world["dataset"], item=world["item"]))
    assert response.status_code == (200 if actor in MANAGERS else 403)


@pytest.mark.parametrize("actor", ACTORS[1:])
def test_only_contributors_and_approvers_of_some_authority_are_shown_the_new_dataset_form(world, signed_in_client, actor):
    response = signed_in_client(world["people"][actor]).get("/datasets/new")
    assert response.status_code == (200 if actor.startswith(("contributor", "approver")) else 403)


API_ACTIONS = {
    "add dataset": ("POST", "/api/v1/datasets", {"authority_code": "LDS", "name": "Housing register"}, 201),
    "change dataset": ("PATCH", "/api/v1/datasets/{dataset}", {"name": "Renamed"}, 200),
    "add item": ("POST", "/api/v1/datasets/{dataset}/items", {"name": "Address", "personal": True}, 201),
    "change item": ("PATCH", "/api/v1/datasets/{dataset}/items/{item}", {"name": "Full name"}, 200),
    "remove item": ("DELETE", "/api/v1/datasets/{dataset}/items/{item}", None, 204),
}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("action", API_ACTIONS)
def test_only_contributors_and_approvers_of_the_owner_change_datasets_through_the_api(world, api_as, actor, action):
    method, url_template, body, success = API_ACTIONS[action]
    api = api_as(None if actor == "anonymous" else world["people"][actor])
    before = database_snapshot()

    response = api.client.open(
        url_template.format(dataset=world["dataset"], item=world["item"]), method=method, json=body, headers=api.headers
    )

    if actor in MANAGERS:
        assert response.status_code == success, response.get_data(as_text=True)[:500]
        assert database_snapshot() != before
    else:
        assert response.status_code == (401 if actor == "anonymous" else 403)
        assert response.is_json
        assert database_snapshot() == before
