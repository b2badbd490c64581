"""Personal API tokens: shown once, stored only as a hash, usable as a bearer token, revocable."""

import re

import sqlalchemy as sa

from registry.extensions import db
from registry.users.models import ApiToken
from tests.conftest import post_form
from tests.factories import make_authority, make_user


def _create_token(client, name="reporting script"):
    response = post_form(client, "/account/api-tokens", {"name": name}, from_page="/account")
    match = re.search(r'id="api-token">(dsr_[^<]+)<', response.get_data(as_text=True))
    return response, match.group(1) if match else None


def test_a_token_is_shown_once_and_only_its_hash_is_stored(signed_in_client):
    client = signed_in_client(make_user())
    response, secret = _create_token(client)
    assert response.status_code == 200
    assert secret
    stored = db.session.scalar(sa.select(ApiToken))
    assert secret not in (stored.token_hash, stored.prefix)
    assert secret not in client.get("/account").get_data(as_text=True)
    assert stored.prefix in client.get("/account").get_data(as_text=True)


def test_the_token_opens_the_api_as_its_owner(signed_in_client, app):
    council = make_authority(code="LDS", name="Leeds City Council")
    owner = make_user(name="Token Owner", memberships={council: "approver"})
    _, secret = _create_token(signed_in_client(owner))

    body = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).json

    assert body["name"] == "Token Owner"
    assert body["memberships"] == [{"authority_code": "LDS", "authority_name": "Leeds City Council", "role": "approver"}]


def test_a_revoked_token_gets_401(signed_in_client, app):
    client = signed_in_client(make_user())
    _, secret = _create_token(client)
    token = db.session.scalar(sa.select(ApiToken))

    post_form(client, f"/account/api-tokens/{token.id}/revoke", from_page="/account")

    response = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401


def test_nobody_revokes_someone_elses_token(signed_in_client):
    owner = make_user()
    _, _ = _create_token(signed_in_client(owner))
    token = db.session.scalar(sa.select(ApiToken))

    response = post_form(signed_in_client(make_user()), f"/account/api-tokens/{token.id}/revoke", from_page="/account")

    assert response.status_code == 404
    db.session.refresh(token)
    assert token.revoked_at is None


def test_a_token_of_a_deactivated_user_stops_working(signed_in_client, app, admin):
    from registry.users import services

    owner = make_user()
    _, secret = _create_token(signed_in_client(owner))
    services.deactivate_user(admin, owner)
    db.session.commit()
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    # Reactivating the account does not bring back a token that may have leaked meanwhile.
    services.reactivate_user(admin, owner)
    db.session.commit()
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_a_token_needs_a_name(signed_in_client):
    response, secret = _create_token(signed_in_client(make_user()), name="")
    assert response.status_code == 422
    assert secret is None
    assert "Enter a name for the token" in response.get_data(as_text=True)
