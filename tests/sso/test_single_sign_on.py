"""Single sign-on end to end against our own OpenID providers on 127.0.0.1, each test once per provider style."""

import logging
from dataclasses import replace

import pytest
import sqlalchemy as sa

from registry.auditlog.models import AuditEntry
from registry.extensions import db
from registry.invitations.models import Invitation
from registry.sso.models import Identity
from registry.users.models import User
from registry.users.roles import Role
from tests.conftest import csrf_token_from
from tests.factories import make_authority, make_user
from tests.sso.conftest import go_to_provider, invite, sign_in_with
from tests.sso.provider import DISPLAY_NAMES, OTHER_TENANT, TENANT, registry_settings

NADIA = "nadia@leeds.example.org"


def _actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.index)))


def _signed_in(client) -> bool:
    return client.get("/dashboard").status_code == 200


def test_sign_in_page_has_a_button_for_each_provider(client, providers):
    page = client.get("/sign-in").get_data(as_text=True)

    assert "Sign in with Microsoft" in page
    assert "Sign in with NHS Care Identity" in page


def test_the_request_to_the_provider_carries_pkce_s256_state_and_nonce(client, provider):
    go_to_provider(client, provider)

    sent = provider.authorize_requests[-1]
    assert sent["code_challenge_method"] == "S256"
    assert len(sent["code_challenge"]) == 43
    assert sent["state"] and sent["nonce"] and sent["state"] != sent["nonce"]
    assert "openid" in sent["scope"].split()


def test_invited_person_signs_in_accepts_the_invitation_and_lands_signed_in(client, provider, leeds, leeds_admin):
    invitation = invite(leeds_admin, leeds)
    provider.person = provider.claims_for(email=NADIA)

    response = sign_in_with(client, provider)

    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    assert _signed_in(client)
    user = db.session.scalar(sa.select(User).where(User.email == NADIA))
    assert user.role_in(leeds).value == "contributor"
    assert db.session.get(Invitation, invitation.id).accepted_by_id == user.id
    identity = db.session.scalar(sa.select(Identity).where(Identity.user_id == user.id))
    assert identity.provider == provider.style
    assert identity.issuer == provider.issuer_for(TENANT if provider.style == "entra" else None)
    actions = _actions()
    assert actions[actions.index("invitation.create") + 1:] == [
        "user.create", "identity.link", "invitation.accept", "user.sign_in",
    ]


def test_entra_identity_is_keyed_on_tenant_and_object_id_and_cis2_on_subject(client, provider, leeds, leeds_admin):
    invite(leeds_admin, leeds)
    provider.person = provider.claims_for(email=NADIA, subject="abc")

    sign_in_with(client, provider)

    identity = db.session.scalar(sa.select(Identity))
    if provider.style == "entra":
        assert (identity.tenant_id, identity.subject) == (TENANT, "oid-abc")
    else:
        assert (identity.tenant_id, identity.subject) == ("", "abc")


def test_next_sign_in_finds_the_person_by_identity_even_after_their_email_changes(app, client, provider, leeds, leeds_admin):
    invite(leeds_admin, leeds)
    provider.person = provider.claims_for(email=NADIA)
    sign_in_with(client, provider)
    first = db.session.scalar(sa.select(User).where(User.email == NADIA))

    provider.person = provider.claims_for(email="nadia.married-name@leeds.example.org")
    other_browser = app.test_client()
    response = sign_in_with(other_browser, provider)

    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.email.like("nadia%"))) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Identity)) == 1
    assert _signed_in(other_browser)
    assert first.active


def test_someone_else_with_the_same_email_is_not_let_in_by_email_alone(app, client, provider, leeds, leeds_admin):
    invite(leeds_admin, leeds)
    provider.person = provider.claims_for(email=NADIA, subject="the-real-nadia")
    sign_in_with(client, provider)

    provider.person = provider.claims_for(email=NADIA, subject="an-impostor")
    impostor = app.test_client()
    response = sign_in_with(impostor, provider)

    assert response.status_code == 403
    assert not _signed_in(impostor)


def _refusal_reason(response) -> str:
    page = response.get_data(as_text=True)
    assert "You could not be signed in" in page
    return page.split('data-reason="', 1)[1].split('"', 1)[0]


SPOILED = {
    "wrong nonce": ("nonce", lambda p: setattr(p, "spoil", {"nonce": "not-the-one-we-sent"})),
    "wrong audience": ("audience", lambda p: setattr(p, "spoil", {"aud": "some-other-service"})),
    "expired id token": ("expired", lambda p: setattr(p, "spoil", {"iat": 1_600_000_000, "exp": 1_600_000_600})),
    "signed with an unknown key": ("signature", lambda p: setattr(p, "sign_with_stranger_key", True)),
    "email not verified": ("email_unverified", lambda p: setattr(p, "person", p.claims_for(email=NADIA, verified=False))),
}


@pytest.mark.parametrize("case", SPOILED, ids=list(SPOILED))
def test_spoiled_sign_in_is_refused_with_a_clear_page_no_session_and_a_log_line(case, client, provider, leeds, leeds_admin, caplog):
    invite(leeds_admin, leeds)
    provider.person = provider.claims_for(email=NADIA)
    reason, spoil = SPOILED[case]
    spoil(provider)

    with caplog.at_level(logging.WARNING, logger="registry.security"):
        response = sign_in_with(client, provider)

    assert response.status_code == 403
    assert _refusal_reason(response) == reason
    assert not _signed_in(client)
    assert db.session.scalar(sa.select(User).where(User.email == NADIA)) is None
    assert "user.sign_in" not in _actions()
    assert [r.getMessage() for r in caplog.records if f"reason={reason}" in r.getMessage() and provider.style in r.getMessage()]


def test_replayed_callback_is_refused_even_with_a_copy_of_the_old_cookie(app, client, provider, leeds, leeds_admin, caplog):
    invite(leeds_admin, leeds)
    provider.person = provider.claims_for(email=NADIA)
    callback = go_to_provider(client, provider)
    cookie_before = client.get_cookie("registry_session").value
    assert client.get(callback).status_code == 302

    replayer = app.test_client()
    replayer.set_cookie("registry_session", cookie_before)
    with caplog.at_level(logging.WARNING, logger="registry.security"):
        response = replayer.get(callback)

    assert response.status_code == 403
    assert _refusal_reason(response) == "state"
    assert not _signed_in(replayer)
    assert any("reason=state" in r.getMessage() for r in caplog.records)


def test_callback_in_a_browser_that_did_not_start_the_sign_in_is_refused(app, client, provider, leeds, leeds_admin):
    invite(leeds_admin, leeds)
    provider.person = provider.claims_for(email=NADIA)
    callback = go_to_provider(client, provider)

    victim = app.test_client()
    response = victim.get(callback)

    assert _refusal_reason(response) == "state"
    assert not _signed_in(victim)


def test_person_without_an_invitation_is_told_who_can_invite_them(client, provider, leeds, leeds_admin, caplog):
    provider.person = provider.claims_for(email="stranger@leeds.example.org")

    with caplog.at_level(logging.WARNING, logger="registry.security"):
        response = sign_in_with(client, provider)

    assert response.status_code == 403
    assert _refusal_reason(response) == "not_invited"
    page = response.get_data(as_text=True)
    assert "invite you" in page
    if provider.style == "entra":  # the tenant says which authority they are from
        assert "Lena Admin" in page and "lena@leeds.example.org" in page
    assert not _signed_in(client)
    assert any("reason=not_invited" in r.getMessage() for r in caplog.records)


def test_deactivated_person_is_refused(client, provider, leeds, leeds_admin):
    invite(leeds_admin, leeds)
    provider.person = provider.claims_for(email=NADIA)
    sign_in_with(client, provider)
    client.post("/sign-out", data={})
    user = db.session.scalar(sa.select(User).where(User.email == NADIA))
    user.active = False
    db.session.commit()

    response = sign_in_with(client, provider)

    assert _refusal_reason(response) == "deactivated"
    assert not _signed_in(client)


# Entra ID's tenants.

@pytest.fixture
def entra(providers):
    return providers["entra"]


def test_tenant_not_on_the_allow_list_is_refused(client, entra, leeds, leeds_admin, caplog):
    invite(leeds_admin, leeds)
    entra.person = entra.claims_for(email=NADIA, tenant=OTHER_TENANT)

    with caplog.at_level(logging.WARNING, logger="registry.security"):
        response = sign_in_with(client, entra)

    assert response.status_code == 403
    assert _refusal_reason(response) == "tenant"
    assert not _signed_in(client)
    assert any("reason=tenant" in r.getMessage() and OTHER_TENANT in r.getMessage() for r in caplog.records)


def test_token_whose_issuer_names_another_tenant_than_its_tid_is_refused(client, entra, leeds, leeds_admin):
    invite(leeds_admin, leeds)
    entra.person = entra.claims_for(email=NADIA)
    entra.spoil = {"iss": entra.issuer_for(OTHER_TENANT)}

    response = sign_in_with(client, entra)

    assert _refusal_reason(response) == "issuer"
    assert not _signed_in(client)


def test_invitation_to_another_authority_does_not_let_a_tenant_in(client, entra, leeds, leeds_admin, admin):
    york = make_authority(code="YRK", name="City of York Council")
    invite(admin, york)
    entra.person = entra.claims_for(email=NADIA)

    response = sign_in_with(client, entra)

    assert _refusal_reason(response) == "not_invited"


@pytest.mark.parametrize("claimed, expected", [(["Registry.Approver"], "approver"), (["Registry.Viewer", "Other"], "viewer")])
def test_roles_claim_sets_the_registry_role_for_the_tenants_authority(app, client, entra, leeds, leeds_admin, claimed, expected):
    app.config["SSO_PROVIDERS"] = registry_settings(
        entra, roles={"Registry.Viewer": _role("viewer"), "Registry.Approver": _role("approver")}
    )
    invite(leeds_admin, leeds)
    entra.person = entra.claims_for(email=NADIA, roles=claimed)

    sign_in_with(client, entra)

    user = db.session.scalar(sa.select(User).where(User.email == NADIA))
    assert user.role_in(leeds).value == expected
    assert "membership.from_identity_provider" in _actions()


def _role(value):
    return Role(value)


def test_sign_in_page_lets_its_forms_go_on_to_the_providers_and_nowhere_else(client, providers):
    policy = client.get("/sign-in").headers["Content-Security-Policy"]

    form_action = next(part for part in policy.split("; ") if part.startswith("form-action"))
    assert form_action.split()[1:] == ["'self'", *sorted({p.base for p in providers.values()})]
    assert "form-action 'self';" in client.get("/forgotten-password").headers["Content-Security-Policy"] + ";"


def test_signed_in_person_links_their_organisations_account_and_then_signs_in_with_it(app, signed_in_client, provider, leeds):
    yusuf = make_user(email="yusuf@leeds.example.org", memberships={leeds: "viewer"})
    browser = signed_in_client(yusuf)
    assert f"Link your {provider_display(provider)} account" in browser.get("/account").get_data(as_text=True)
    # Their organisation knows them by another address: linking needs none to match.
    provider.person = provider.claims_for(email="y.khan@nhs.example.net")

    response = sign_in_with(browser, provider, from_page="/account")

    assert response.status_code == 302 and response.headers["Location"] == "/account"
    identity = db.session.scalar(sa.select(Identity))
    assert identity.user_id == yusuf.id
    fresh = app.test_client()
    assert sign_in_with(fresh, provider).status_code == 302
    assert _signed_in(fresh)
    assert "identity.link" in _actions()


def test_an_identity_linked_to_one_account_cannot_be_linked_to_another(signed_in_client, provider, leeds, leeds_admin):
    invite(leeds_admin, leeds)
    provider.person = provider.claims_for(email=NADIA)
    sign_in_with(signed_in_client(make_user(email="first@leeds.example.org")), provider, from_page="/account")

    response = sign_in_with(signed_in_client(make_user(email="second@leeds.example.org")), provider, from_page="/account")

    assert _refusal_reason(response) == "linked_elsewhere"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Identity)) == 1


def provider_display(provider) -> str:
    return DISPLAY_NAMES[provider.style]


def test_a_provider_that_cannot_be_reached_gets_a_clear_page_not_an_error(app, client, providers):
    settings = app.config["SSO_PROVIDERS"]
    # A port nothing listens on: 127.0.0.1:9 (discard) is closed on these machines.
    settings["cis2"] = replace(settings["cis2"], discovery_url="http://127.0.0.1:9/.well-known/openid-configuration")
    page = client.get("/sign-in").get_data(as_text=True)

    response = client.post("/sign-in/with/cis2", data={"csrf_token": csrf_token_from(page)})

    assert response.status_code == 503
    assert _refusal_reason(response) == "provider_unavailable"
