"""Every account-and-authority action, tried by every kind of person, on people of their own authority and of another: only the allowed succeed.

An administrator for Leeds may act on Leeds's people (and invitations to Leeds) only, and
on nothing system-wide. Refused attempts get 403 or 404 (someone outside your authority is
not there for you), a sign-in redirect, or 401 on the API, and change nothing.
"""

import pytest

from registry.extensions import db
from registry.invitations import services as invitation_services
from registry.users.actors import COMMAND_LINE
from registry.users.roles import Role
from tests.conftest import post_form
from tests.factories import make_authority, make_user
from tests.shared_data import shared_fixture
from tests.snapshots import database_snapshot

ACTORS = ["anonymous", "viewer", "contributor", "approver", "auditor", "authority_admin", "admin"]
WHOSE = {"own": "LDS", "other": "BRD"}  # the authority of the person or invitation acted on, as Leeds's administrator sees it


@shared_fixture
def world():
    """Leeds and Bradford, a person of each kind (the authority administrator administers Leeds and has no role), and a person and an invitation of each to act on."""
    leeds = make_authority(code="LDS", name="Leeds City Council")
    bradford = make_authority(code="BRD", name="Bradford Council")
    make_authority(code="POLICE-WYP", name="West Yorkshire Police", type="POLICE")
    people = {
        "viewer": make_user(memberships={leeds: "viewer"}),
        "contributor": make_user(memberships={leeds: "contributor"}),
        "approver": make_user(memberships={leeds: "approver"}),
        "auditor": make_user(system_role="auditor"),
        "authority_admin": make_user(administers=(leeds,)),
        "admin": make_user(system_role="admin"),
    }
    targets = {
        "LDS": make_user(name="Leeds Person", memberships={leeds: "viewer"}),
        "BRD": make_user(name="Bradford Person", memberships={bradford: "viewer"}),
    }
    invitations = {
        code: invitation_services.invite(COMMAND_LINE, email=f"invited@{code.lower()}.example.org", authority=authority,
                                         role=Role.VIEWER).invitation
        for code, authority in (("LDS", leeds), ("BRD", bradford))
    }
    db.session.commit()
    return {"people": people, "targets": targets, "invitations": invitations}


# action: (URL, form data for the authority's code); {target}, {membership}, {invitation} are filled in.
HTML_ACTIONS = {
    "create user": ("/users/new", lambda code: {"name": "New", "email": "new@example.org", "password": "plenty-long-passphrase"}),
    "grant role": ("/users/{target}/memberships", lambda code: {"authority_code": code, "role": "approver"}),
    "revoke role": ("/users/{target}/memberships/{membership}/revoke", lambda code: {}),
    "make administrator": ("/users/{target}/administrators", lambda code: {"administrator_authority_code": code}),
    "change system role": ("/users/{target}/system-role", lambda code: {"system_role": "admin"}),
    "deactivate user": ("/users/{target}/deactivate", lambda code: {}),
    "invite": ("/invitations/new", lambda code: {"email": "someone.new@example.org", "authority_code": code, "role": "viewer"}),
    "resend invitation": ("/invitations/{invitation}/resend", lambda code: {}),
    "cancel invitation": ("/invitations/{invitation}/cancel", lambda code: {}),
    "add partner": ("/authorities/new-partner", lambda code: {"type": "FIRE", "name": "Fire Service", "code": "FIRE-WY"}),
    "edit partner": ("/authorities/POLICE-WYP/edit", lambda code: {"type": "POLICE", "name": "Renamed"}),
}
# Actions on no authority's people: for system administrators alone.
SYSTEM_WIDE = {"create user", "change system role", "add partner", "edit partner"}
CASES = [(action, whose) for action in HTML_ACTIONS for whose in (["own"] if action in SYSTEM_WIDE else list(WHOSE))]


def _allowed(actor: str, action: str, whose: str) -> bool:
    return actor == "admin" or (actor == "authority_admin" and action not in SYSTEM_WIDE and whose == "own")


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("action, whose", CASES)
def test_only_administrators_of_the_authority_manage_its_people_in_the_ui(app, world, signed_in_client, actor, action, whose):
    code = WHOSE[whose]
    target = world["targets"][code]
    url_template, data = HTML_ACTIONS[action]
    url = url_template.format(target=target.id, membership=target.memberships[0].id, invitation=world["invitations"][code].id)
    client = app.test_client() if actor == "anonymous" else signed_in_client(world["people"][actor])
    before = database_snapshot()

    response = post_form(client, url, data(code), from_page="/sign-in" if actor == "anonymous" else "/account")

    if _allowed(actor, action, whose):
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        assert database_snapshot() != before
    elif actor == "anonymous":
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/sign-in")
        assert database_snapshot() == before
    else:
        assert response.status_code in (403, 404)
        assert database_snapshot() == before


PAGES = ["/users", "/users/{target}", "/invitations", "/invitations/new"]


@pytest.mark.parametrize("actor", ACTORS[1:])
@pytest.mark.parametrize("page", PAGES)
def test_only_administrators_see_the_people_pages(world, signed_in_client, actor, page):
    response = signed_in_client(world["people"][actor]).get(page.format(target=world["targets"]["LDS"].id))
    assert response.status_code == (200 if actor in ("admin", "authority_admin") else 403)


@pytest.mark.parametrize("actor", ["authority_admin", "admin"])
def test_another_authoritys_person_is_there_only_for_system_administrators(world, signed_in_client, actor):
    response = signed_in_client(world["people"][actor]).get(f"/users/{world['targets']['BRD'].id}")
    assert response.status_code == (200 if actor == "admin" else 404)


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
