"""Fixtures for single sign-on: our own OpenID providers on 127.0.0.1, both configured at once, and Leeds to invite people to."""

import re
from urllib.parse import urlsplit

import pytest
import requests

from registry.extensions import db
from registry.invitations import services as invitation_services
from registry.users.roles import Role
from tests.conftest import csrf_token_from
from tests.invitations.conftest import leeds, leeds_admin
from tests.sso.provider import Served, TestProvider, registry_settings

# Leeds and its administrator, as the invitation tests have them: pytest finds fixtures by name here.
__all__ = ["leeds", "leeds_admin"]

STYLES = ["entra", "cis2"]


@pytest.fixture(scope="session")
def running_providers():
    """Start one provider of each style for the whole run; return them by style."""
    providers = {style: TestProvider(style) for style in STYLES}
    served = [Served(provider) for provider in providers.values()]
    yield providers
    for each in served:
        each.stop()


@pytest.fixture
def providers(app, running_providers, leeds):
    """Configure both providers in the app, as two coexist in production; reset what they remember."""
    for provider in running_providers.values():
        provider.reset()
    app.config["SSO_PROVIDERS"] = registry_settings(*running_providers.values())
    return running_providers


@pytest.fixture(params=STYLES)
def provider(request, providers):
    """Each test that uses it runs once against the Entra-style provider and once against the CIS2-style one."""
    return providers[request.param]


def invite(actor, authority, email="nadia@leeds.example.org", role=Role.CONTRIBUTOR):
    """Invite someone through the service and commit; return the invitation."""
    invitation = invitation_services.invite(actor, email=email, authority=authority, role=role).invitation
    db.session.commit()
    return invitation


def go_to_provider(client, provider, *, from_page: str = "/sign-in") -> str:
    """Press the provider's button (on the sign-in page, or your account's when signed in); return the callback address the provider sends the browser back to."""
    page = client.get(from_page).get_data(as_text=True)
    started = client.post(f"/sign-in/with/{provider.style}", data={"csrf_token": csrf_token_from(page), "next": _hidden_next(page)})
    assert started.status_code == 302, started.get_data(as_text=True)
    # The browser's visit to the provider, which signs the person in and sends them back at once.
    back = requests.get(started.headers["Location"], allow_redirects=False, timeout=10)
    assert back.status_code == 302
    callback = urlsplit(back.headers["Location"])
    return f"{callback.path}?{callback.query}"


def _hidden_next(page: str) -> str:
    # What the button's form sends back as the page to go to afterwards.
    match = re.search(r'name="next" value="([^"]*)"', page)
    return match.group(1) if match else ""


def sign_in_with(client, provider, *, from_page: str = "/sign-in"):
    """Go through the whole flow in the test client; return the registry's answer to the callback."""
    return client.get(go_to_provider(client, provider, from_page=from_page))
