"""Every account-and-authority action, tried by every kind of person: only the allowed succeed.

Refused attempts get 403 (or a sign-in redirect, or 401 on the API) and change nothing.
"""

import pytest

from tests.conftest import post_form
from tests.factories import make_authority, make_user
from tests.snapshots import database_snapshot

ACTORS = ["anonymous", "viewer", "contributor", "approver", "auditor", "admin"]


@pytest.fixture
def world(app):
    """One council, a person of each kind, and a target user and partner body to act on."""
    council = make_authority(code="LDS", name="Leeds City Council")
    make_authority(code="POLICE-WYP", name="West Yorkshire Police", type="POLICE")
    people = {
        "viewer": make_user(memberships={council: "viewer"}),
        "contributor": make_user(memberships={council: "contributor"}),
        "approver": make_user(memberships={council: "approver"}),
        "auditor": make_user(system_role="auditor"),
        "admin": make_user(system_role="admin"),
    }
    target = make_user(name="Target Person", memberships={council: "viewer"})
    return {"people": people, "target": target, "membership": target.memberships[0]}


HTML_ACTIONS = {
    "create user": ("/users/new", lambda w: {"name": "New", "email": "new@example.org", "password": "plenty-long-passphrase"}),
    "grant membership": ("/users/{target}/memberships", lambda w: {"authority_code": "LDS", "role": "approver"}),
    "revoke membership": ("/users/{target}/memberships/{membership}/revoke", lambda w: {}),
    "change system role": ("/users/{target}/system-role", lambda w: {"system_role": "admin"}),
    "deactivate user": ("/users/{target}/deactivate", lambda w: {}),
    "add partner": ("/authorities/new-partner", lambda w: {"type": "FIRE", "name": "Fire Service", "code": "FIRE-WY"}),
    "edit partner": ("/authorities/POLICE-WYP/edit", lambda w: {"type": "POLICE", "name": "Renamed"}),
}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("action", HTML_ACTIONS)
def test_only_administrators_manage_accounts_and_authorities_in_the_ui(app, world, signed_in_client, actor, action):
    url_template, data = HTML_ACTIONS[action]
    url = url_template.format(target=world["target"].id, membership=world["membership"].id)
    client = app.test_client() if actor == "anonymous" else signed_in_client(world["people"][actor])
    before = database_snapshot()

    response = post_form(client, url, data(world), from_page="/sign-in" if actor == "anonymous" else "/account")

    if actor == "admin":
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        assert database_snapshot() != before
    else:
        expected = 302 if actor == "anonymous" else 403
        assert response.status_code == expected
        if actor == "anonymous":
            assert response.headers["Location"].startswith("/sign-in")
        assert database_snapshot() == before


@pytest.mark.parametrize("actor", ACTORS)
def test_only_administrators_add_partners_through_the_api(app, world, api_as, actor):
    api = api_as(None if actor == "anonymous" else world["people"][actor])
    before = database_snapshot()

    response = api.post("/api/v1/authorities", json={"type": "FIRE", "name": "Fire Service", "code": "FIRE-WY"})

    expected = {"anonymous": 401, "admin": 201}.get(actor, 403)
    assert response.status_code == expected
    assert response.is_json
    if actor != "admin":
        after = database_snapshot()
        after.pop("api_tokens"), before.pop("api_tokens")  # making the caller's token is not the action
        assert after == before


@pytest.mark.parametrize("actor", ACTORS[1:])
def test_everyone_signed_in_manages_their_own_tokens(world, signed_in_client, actor):
    client = signed_in_client(world["people"][actor])
    response = post_form(client, "/account/api-tokens", {"name": "mine"}, from_page="/account")
    assert response.status_code == 200
    assert "Token created" in response.get_data(as_text=True)
