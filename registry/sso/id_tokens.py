"""Checking an ID token: signed by one of the provider's keys, from its issuer, for us, not expired, our nonce.

Pure: no Flask, no database, no network. The caller fetches the keys and the discovery document.
"""

from joserfc import jwt
from joserfc.errors import ExpiredTokenError, InvalidKeyIdError, JoseError, MissingClaimError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from .providers import TENANT_PLACEHOLDER, Provider
from .refusals import SignInRefused

# The algorithms Entra ID, NHS CIS2 and most providers sign with; never "none" or a MAC with the client secret.
ALGORITHMS = ["RS256", "PS256", "ES256"]
# Clocks differ a little between us and the provider.
LEEWAY_SECONDS = 60
_CLAIM_REASONS = {"iss": "issuer", "aud": "audience", "nonce": "nonce", "exp": "expired"}


def verified_claims(id_token: str, *, provider: Provider, document: dict, jwks: dict, nonce: str) -> dict:
    """Return the ID token's claims if every check passes; raise SignInRefused naming the first that fails."""
    try:
        token = jwt.decode(id_token, KeySet.import_key_set(jwks), algorithms=ALGORITHMS)
    except InvalidKeyIdError as error:
        raise SignInRefused("signature", provider.display_name, detail=f"unknown key: {error}") from None
    except JoseError as error:
        raise SignInRefused("signature", provider.display_name, detail=f"{error.error}") from None
    except ValueError as error:
        raise SignInRefused("invalid_token", provider.display_name, detail=str(error)[:200]) from None
    claims = token.claims
    checks = JWTClaimsRegistry(
        leeway=LEEWAY_SECONDS,
        iss={"essential": True, "value": expected_issuer(provider, document, claims)},
        aud={"essential": True, "value": provider.client_id},
        exp={"essential": True},
        iat={"essential": True},
        sub={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        checks.validate(claims)
    except ExpiredTokenError:
        raise SignInRefused("expired", provider.display_name, detail=f"exp={claims.get('exp')}") from None
    except MissingClaimError as error:
        raise SignInRefused(_CLAIM_REASONS.get(error.claim, "invalid_token"), provider.display_name,
                            detail=f"missing {error.claim}") from None
    except JoseError as error:
        claim = getattr(error, "claim", "")
        raise SignInRefused(_CLAIM_REASONS.get(claim, "invalid_token"), provider.display_name,
                            detail=f"{claim}={str(claims.get(claim))[:100]!r}") from None
    # With several audiences the token must say it was issued to us (OpenID Connect Core 3.1.3.7).
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != provider.client_id:
        raise SignInRefused("audience", provider.display_name, detail=f"azp={claims.get('azp')!r}")
    return claims


def expected_issuer(provider: Provider, document: dict, claims: dict) -> str:
    """Return the issuer the token must name: Entra ID's multi-tenant issuer filled in with the token's own tenant.

    A token from tenant A claiming tenant B's `tid` would then need B's issuer, which A cannot
    sign for; and a tenant off the allow-list is refused before anything else.
    """
    issuer = document["issuer"]
    if TENANT_PLACEHOLDER not in issuer:
        return issuer
    tenant = str(claims.get("tid", "")).lower()
    if not tenant:
        raise SignInRefused("tenant", provider.display_name, detail="no tid in the token")
    if tenant not in provider.tenants:
        raise SignInRefused("tenant", provider.display_name, detail=f"tid={tenant} is not on the allow-list")
    return issuer.replace(TENANT_PLACEHOLDER, tenant)
