"""Providers read from the environment: several at once, Entra tenants mapped to authorities, roles mapped to registry roles."""

import pytest

from registry.sso.providers import providers_from_environment
from registry.users.roles import Role

ENVIRONMENT = {
    "OIDC_PROVIDERS": "entra, CIS2",
    "OIDC_ENTRA_DISPLAY_NAME": "Microsoft",
    "OIDC_ENTRA_DISCOVERY_URL": "https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration",
    "OIDC_ENTRA_CLIENT_ID": "client-1",
    "OIDC_ENTRA_CLIENT_SECRET": "secret-1",
    "OIDC_ENTRA_TENANTS": "9188040D-6C67-4C5B-B112-36A304B66DAD=lds, 72f988bf-86f1-41af-91ab-2d7cd011db47=YRK",
    "OIDC_ENTRA_ROLES": "Registry.Viewer=viewer,Registry.Approver=approver",
    "OIDC_CIS2_DISCOVERY_URL": "https://am.nhsidentity.spineservices.nhs.uk/.well-known/openid-configuration",
    "OIDC_CIS2_CLIENT_ID": "client-2",
    "OIDC_CIS2_CLIENT_SECRET": "secret-2",
}


def test_every_named_provider_is_configured():
    providers = providers_from_environment(ENVIRONMENT)

    assert list(providers) == ["entra", "cis2"]
    assert providers["cis2"].display_name == "cis2"
    assert providers["cis2"].tenants == {} and providers["cis2"].roles == {}


def test_tenants_map_to_authority_codes_whatever_their_case():
    entra = providers_from_environment(ENVIRONMENT)["entra"]

    assert entra.tenants == {"9188040d-6c67-4c5b-b112-36a304b66dad": "LDS", "72f988bf-86f1-41af-91ab-2d7cd011db47": "YRK"}


def test_roles_map_to_registry_roles():
    assert providers_from_environment(ENVIRONMENT)["entra"].roles == {"Registry.Viewer": Role.VIEWER, "Registry.Approver": Role.APPROVER}


def test_no_providers_named_means_no_buttons():
    assert providers_from_environment({}) == {}


@pytest.mark.parametrize("missing", ["OIDC_CIS2_CLIENT_ID", "OIDC_CIS2_CLIENT_SECRET", "OIDC_CIS2_DISCOVERY_URL"])
def test_a_missing_setting_stops_the_app_with_its_name(missing):
    environment = {name: value for name, value in ENVIRONMENT.items() if name != missing}

    with pytest.raises(RuntimeError, match=missing):
        providers_from_environment(environment)


def test_an_unknown_role_is_refused():
    with pytest.raises(ValueError):
        providers_from_environment({**ENVIRONMENT, "OIDC_ENTRA_ROLES": "Registry.Owner=owner"})
