"""The identity providers people may sign in with, read from the environment, and what each publishes.

Set OIDC_PROVIDERS to their names, comma-separated, and for each NAME:

    OIDC_<NAME>_DISCOVERY_URL   the provider's /.well-known/openid-configuration
    OIDC_<NAME>_CLIENT_ID       this registry's client (application) id there
    OIDC_<NAME>_CLIENT_SECRET   and its secret
    OIDC_<NAME>_DISPLAY_NAME    the button's words: "Sign in with <display name>"
    OIDC_<NAME>_TENANTS         Entra ID: tenant-id=AUTHORITY-CODE pairs, comma-separated; only these tenants get in
    OIDC_<NAME>_ROLES           optional: app-role=registry-role pairs, e.g. Registry.Approver=approver
"""

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from flask import current_app

from registry.users.roles import Role

# The placeholder Entra ID's multi-tenant discovery document has in its issuer.
TENANT_PLACEHOLDER = "{tenantid}"
# Discovery documents change rarely; keys are fetched at each sign-in so a rotation is seen at once.
DISCOVERY_KEPT_SECONDS = 3600
REQUEST_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Provider:
    """One OpenID provider as configured here."""

    key: str
    display_name: str
    discovery_url: str
    client_id: str
    client_secret: str
    # Tenant id -> the code of the authority it belongs to; empty for a provider without tenants.
    tenants: Mapping[str, str] = field(default_factory=dict)
    # A value of the ID token's `roles` claim -> the registry role it gives.
    roles: Mapping[str, Role] = field(default_factory=dict)
    scope: str = "openid email profile"


def _pairs(text: str) -> dict[str, str]:
    pairs = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, value = item.partition("=")
        if not value:
            raise RuntimeError(f"Expected name=value in {text!r}, got {item!r}")
        pairs[name.strip()] = value.strip()
    return pairs


def providers_from_environment(environ: Mapping[str, str]) -> dict[str, Provider]:
    """Read the providers named in OIDC_PROVIDERS from the environment; fail loudly on a missing setting."""
    providers = {}
    for key in filter(None, (name.strip().lower() for name in environ.get("OIDC_PROVIDERS", "").split(","))):
        prefix = f"OIDC_{key.upper()}_"

        def setting(name: str, default: str | None = None) -> str:
            value = environ.get(prefix + name, default)
            if value is None:
                raise RuntimeError(f"{prefix}{name} must be set for the identity provider {key!r}")
            return value

        providers[key] = Provider(
            key=key,
            display_name=setting("DISPLAY_NAME", key),
            discovery_url=setting("DISCOVERY_URL"),
            client_id=setting("CLIENT_ID"),
            client_secret=setting("CLIENT_SECRET"),
            tenants={tid.lower(): code.upper() for tid, code in _pairs(setting("TENANTS", "")).items()},
            roles={claim: Role(role) for claim, role in _pairs(setting("ROLES", "")).items()},
        )
    return providers


def configured() -> dict[str, Provider]:
    """Return the providers by key: from SSO_PROVIDERS when set (tests), else from the environment."""
    providers = current_app.config.get("SSO_PROVIDERS")
    if providers is None:
        providers = current_app.config["SSO_PROVIDERS"] = providers_from_environment(os.environ)
    return providers


def provider_or_none(key: str) -> Provider | None:
    """Return the provider with this key, or None."""
    return configured().get(key)


def origin(provider: Provider) -> str:
    """Return the scheme, host and port the provider is at, where its sign-in page is (Entra ID, CIS2: the same as discovery)."""
    parts = urlsplit(provider.discovery_url)
    return f"{parts.scheme}://{parts.netloc}"


_discovered: dict[str, tuple[float, dict]] = {}


def metadata(provider: Provider) -> dict:
    """Return the provider's discovery document (issuer, endpoints, keys' address), fetched at most hourly."""
    kept = _discovered.get(provider.discovery_url)
    if kept is not None and time.monotonic() - kept[0] < DISCOVERY_KEPT_SECONDS:
        return kept[1]
    response = requests.get(provider.discovery_url, timeout=REQUEST_TIMEOUT_SECONDS)
    response.raise_for_status()
    document = response.json()
    _discovered[provider.discovery_url] = (time.monotonic(), document)
    return document


def signing_keys(document: dict) -> dict:
    """Return the provider's current public keys (its JWKS)."""
    response = requests.get(document["jwks_uri"], timeout=REQUEST_TIMEOUT_SECONDS)
    response.raise_for_status()
    return response.json()


def is_multi_tenant(document: dict) -> bool:
    """Return True for a provider whose issuer names the tenant (Entra ID's common or organizations endpoint)."""
    return TENANT_PLACEHOLDER in document["issuer"]
