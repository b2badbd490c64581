"""Single sign-on in Chromium: the button on the sign-in page, our own OpenID provider on 127.0.0.1, and back signed in."""

import pytest

from registry.extensions import db
from registry.invitations import services as invitation_services
from registry.users.roles import Role
from tests.browser.conftest import assert_accessible, sign_in_to_the_dashboard
from tests.factories import make_authority, make_user
from tests.sso.provider import Served, TestProvider, registry_settings


@pytest.fixture
def entra(app):
    """An Entra-style provider on 127.0.0.1, with a CIS2-style one configured beside it."""
    providers = [TestProvider("entra"), TestProvider("cis2")]
    served = [Served(provider) for provider in providers]
    app.config["SSO_PROVIDERS"] = registry_settings(*providers)
    yield providers[0]
    for each in served:
        each.stop()


@pytest.fixture
def leeds(app):
    return make_authority(code="LDS", name="Leeds City Council")


def test_invited_person_signs_in_with_their_organisation_and_lands_on_the_dashboard(page, entra, leeds):
    lena = make_user(name="Lena Admin", administers=(leeds,))
    invitation_services.invite(lena, email="nadia@leeds.example.org", authority=leeds, role=Role.APPROVER)
    db.session.commit()
    entra.person = entra.claims_for(email="nadia@leeds.example.org", name="Nadia Example")

    page.goto("/sign-in")
    assert_accessible(page, "sign-in with providers")
    page.get_by_role("button", name="Sign in with Microsoft").click()

    page.wait_for_url("**/dashboard")
    assert entra.authorize_requests[-1]["code_challenge_method"] == "S256"
    assert "Nadia Example" in page.content()


def test_someone_not_invited_sees_who_can_invite_them(page, entra, leeds):
    make_user(name="Lena Admin", email="lena@leeds.example.org", administers=(leeds,))
    entra.person = entra.claims_for(email="stranger@leeds.example.org")

    page.goto("/sign-in")
    page.get_by_role("button", name="Sign in with Microsoft").click()

    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "You could not be signed in"
    assert "Lena Admin" in page.content()
    assert_accessible(page, "refused sign-in")


def test_password_sign_in_setting_page_is_accessible(page, leeds):
    lena = make_user(name="Lena Admin", administers=(leeds,))
    sign_in_to_the_dashboard(page, lena)

    page.goto("/authorities/LDS/password-sign-in")
    assert_accessible(page, "password sign-in setting")
    page.get_by_label("No, only with their organisation's account").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()

    assert "can no longer sign in with a password" in page.content()


def test_person_with_a_password_links_their_organisations_account_from_their_account_page(page, entra, leeds):
    yusuf = make_user(name="Yusuf Khan", email="yusuf@leeds.example.org", memberships={leeds: "viewer"})
    entra.person = entra.claims_for(email="yusuf@leeds.example.org", subject="yusuf")
    sign_in_to_the_dashboard(page, yusuf)

    page.goto("/account")
    page.get_by_role("button", name="Link your Microsoft account").click()

    page.wait_for_url("**/account")
    assert "You can sign in with: Microsoft." in page.content()
    assert_accessible(page, "account with a linked identity")
