"""Use cases of single sign-on: send someone to their provider, and sign them in when it sends them back.

The authorization code flow with PKCE (S256), `state` and `nonce` (Authlib builds the request
and exchanges the code); the ID token is checked by id_tokens.py. A refusal raises
SignInRefused, is written to the security log, and starts no session.
"""

import logging
import secrets
from datetime import timedelta

import requests
import sqlalchemy as sa
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session

from registry.auditlog.recording import record
from registry.auth import services as auth_services
from registry.authorities.models import Authority
from registry.authorities.queries import authority_by_code_or_none
from registry.core.db import utcnow
from registry.core.tokens import new_secret, secret_hash
from registry.extensions import db
from registry.invitations import queries as invitation_queries
from registry.invitations import services as invitation_services
from registry.users import queries as user_queries
from registry.users.models import Membership, User

from . import id_tokens, providers, queries
from .models import Identity, SignInAttempt
from .providers import Provider
from .refusals import SignInRefused

security_log = logging.getLogger("registry.security")

# How long someone has at their provider before the sign-in they started lapses.
ATTEMPT_LIFETIME = timedelta(minutes=10)
# Stored in place of a password hash for people who only ever sign in with their organisation:
# not an Argon2 hash, so no password matches it.
NO_PASSWORD = "!single-sign-on"


def start(provider: Provider, *, redirect_uri: str, next_path: str = "", linking: User | None = None) -> tuple[str, str]:
    """Begin a sign-in at the provider; return the address to send the browser to and the `state` for its cookie.

    `linking`: the signed-in person, when they started it to link their organisation's account to theirs.
    """
    document = _metadata(provider)
    state, nonce, verifier = new_secret(), new_secret(), secrets.token_urlsafe(64)
    now = utcnow()
    # Attempts nobody came back from are of no use after their lifetime; a day's grace keeps them for a look.
    db.session.execute(sa.delete(SignInAttempt).where(SignInAttempt.created_at < now - timedelta(days=1)))
    db.session.add(SignInAttempt(state_hash=secret_hash(state), provider=provider.key, nonce=nonce, code_verifier=verifier,
                                 next_path=next_path[:500], link_user_id=linking.id if linking else None, created_at=now))
    db.session.flush()
    client = OAuth2Session(provider.client_id, provider.client_secret, scope=provider.scope,
                           redirect_uri=redirect_uri, code_challenge_method="S256")
    url, _ = client.create_authorization_url(document["authorization_endpoint"], state=state, nonce=nonce,
                                             code_verifier=verifier)
    return url, state


def finish(provider: Provider, *, arguments: dict, state_from_cookie: str | None, redirect_uri: str,
           client_address: str) -> tuple[User, str]:
    """Check what the provider sent back and sign the person in; return them and the page they were going to.

    Raises SignInRefused (after writing a security log line) for anything wrong.
    """
    try:
        return _finish(provider, arguments, state_from_cookie, redirect_uri)
    except SignInRefused as refusal:
        security_log.warning(
            "single sign-on refused: provider=%s reason=%s detail=%s client=%s",
            provider.key, refusal.reason, refusal.detail, client_address,
        )
        raise


def _finish(provider: Provider, arguments: dict, state_from_cookie: str | None, redirect_uri: str) -> tuple[User, str]:
    attempt = _use_attempt(provider, arguments.get("state"), state_from_cookie)
    if arguments.get("error"):
        raise SignInRefused("provider_error", provider.display_name, detail=str(arguments["error"])[:100])
    document = _metadata(provider)
    id_token = _exchange_code(provider, document, arguments.get("code"), attempt["code_verifier"], redirect_uri)
    try:
        keys = providers.signing_keys(document)
    except (requests.RequestException, ValueError) as error:
        raise SignInRefused("token_exchange", provider.display_name, detail=f"keys: {type(error).__name__}") from None
    claims = id_tokens.verified_claims(id_token, provider=provider, document=document, jwks=keys, nonce=attempt["nonce"])
    tenant = str(claims.get("tid", "")).lower()
    if provider.tenants and tenant not in provider.tenants:
        raise SignInRefused("tenant", provider.display_name, detail=f"tid={tenant or '-'} is not on the allow-list")
    authority = authority_by_code_or_none(provider.tenants[tenant]) if provider.tenants else None
    # Entra ID's object id is the person across every app of their tenant; elsewhere `sub` is the key.
    key = (claims["iss"], tenant, str(claims["oid"])) if tenant and claims.get("oid") else (claims["iss"], "", str(claims["sub"]))
    identity = queries.identity_for(*key)
    linking = db.session.get(User, attempt["link_user_id"]) if attempt["link_user_id"] else None
    if identity is None:
        identity = _link(provider, linking, key) if linking else _first_sign_in(provider, claims, key, authority)
    elif linking is not None and identity.user_id != linking.id:
        raise SignInRefused("linked_elsewhere", provider.display_name, detail=f"identity={identity.id} user={linking.id}")
    user = identity.user
    if not user.active:
        raise SignInRefused("deactivated", provider.display_name, detail=f"user={user.id}")
    if authority is not None:
        _apply_roles_claim(provider, user, authority, claims)
    identity.last_signed_in_at = utcnow()
    auth_services.sign_in_without_password(user, via=f"sso:{provider.key}")
    return user, attempt["next_path"]


def _metadata(provider: Provider) -> dict:
    try:
        return providers.metadata(provider)
    except (requests.RequestException, ValueError) as error:
        raise SignInRefused("provider_unavailable", provider.display_name, detail=f"discovery: {type(error).__name__}") from None


def _use_attempt(provider: Provider, state: str | None, state_from_cookie: str | None) -> dict:
    """Mark the sign-in attempt with this state finished, once only; return its nonce, verifier and next page.

    Its own transaction, committed whatever follows: a refused callback cannot be tried again.
    The state must also match this browser's cookie, so a callback cannot be sent to someone else.
    """
    if not state or not state_from_cookie or not secrets.compare_digest(state, state_from_cookie):
        raise SignInRefused("state", provider.display_name, detail="state missing or not this browser's")
    table = SignInAttempt.__table__
    now = utcnow()
    with db.engine.begin() as connection:
        row = connection.execute(
            sa.update(table)
            .where(table.c.state_hash == secret_hash(state), table.c.provider == provider.key,
                   table.c.finished_at.is_(None), table.c.created_at > now - ATTEMPT_LIFETIME)
            .values(finished_at=now)
            .returning(table.c.nonce, table.c.code_verifier, table.c.next_path, table.c.link_user_id)
        ).first()
    if row is None:
        raise SignInRefused("state", provider.display_name, detail="state already used, expired or unknown")
    return dict(row._mapping)


def _exchange_code(provider: Provider, document: dict, code: str | None, verifier: str, redirect_uri: str) -> str:
    """Exchange the authorization code (with the PKCE verifier) for tokens; return the ID token."""
    if not code:
        raise SignInRefused("token_exchange", provider.display_name, detail="no code")
    client = OAuth2Session(provider.client_id, provider.client_secret, redirect_uri=redirect_uri)
    try:
        token = client.fetch_token(document["token_endpoint"], code=code, code_verifier=verifier,
                                   timeout=providers.REQUEST_TIMEOUT_SECONDS)
    except (OAuthError, requests.RequestException, ValueError) as error:
        raise SignInRefused("token_exchange", provider.display_name, detail=type(error).__name__) from None
    if not token.get("id_token"):
        raise SignInRefused("invalid_token", provider.display_name, detail="no id_token in the response")
    return token["id_token"]


def _email_verified(claims: dict) -> bool:
    # Entra ID has no email_verified; its optional claim xms_edov says the email's domain is the tenant's own.
    return claims.get("email_verified") is True or claims.get("xms_edov") in (True, "1", "true")


def _first_sign_in(provider: Provider, claims: dict, key: tuple[str, str, str], authority: Authority | None) -> Identity:
    """Link a new identity to the account a pending invitation is for (making the account if need be), and accept it.

    The invitation is matched by the email address the provider has verified; with a tenant,
    only an invitation to that tenant's authority will do.
    """
    email = str(claims.get("email", "")).strip().lower()
    if not email or not _email_verified(claims):
        raise SignInRefused("email_unverified", provider.display_name,
                            detail=f"email_verified={claims.get('email_verified')!r}")
    invitations = [
        invitation for invitation in invitation_queries.pending_invitations_for(email)
        if authority is None or invitation.authority_id == authority.id
    ]
    invitations = [invitation for invitation in invitations if invitation_services.why_unusable(invitation) is None]
    if not invitations:
        raise SignInRefused("not_invited", provider.display_name, detail="no pending invitation",
                            who_can_invite=_who_can_invite(authority))
    user = user_queries.user_by_email(email)
    if user is None:
        user = User(email=email, name=str(claims.get("name") or email)[:200], password_hash=NO_PASSWORD)
        db.session.add(user)
        db.session.flush()
        record(user, "user.create", "user", user.id, {"system_role": None, "invitation": invitations[0].id, "via": "sso"})
    identity = _new_identity(provider, user, key, via="invitation")
    for invitation in invitations:
        invitation_services.accept(invitation, user)
    return identity


def _link(provider: Provider, user: User, key: tuple[str, str, str]) -> Identity:
    """Link a new identity to the account of the person who started the sign-in from their account page.

    They proved both: the account by being signed in to it, the identity by signing in at
    the provider just now. No email needs to match.
    """
    return _new_identity(provider, user, key, via="account")


def _new_identity(provider: Provider, user: User, key: tuple[str, str, str], *, via: str) -> Identity:
    issuer, tenant, subject = key
    identity = Identity(user=user, provider=provider.key, issuer=issuer, tenant_id=tenant, subject=subject)
    db.session.add(identity)
    db.session.flush()
    record(user, "identity.link", "identity", identity.id,
           {"user": user.id, "provider": provider.key, "issuer": issuer, "tenant": tenant or None, "via": via})
    return identity


def _who_can_invite(authority: Authority | None) -> tuple:
    if authority is None:
        return ()
    return tuple(user_queries.administrators_of([authority.id])[authority.id])


def _apply_roles_claim(provider: Provider, user: User, authority: Authority, claims: dict) -> None:
    """Give the person the highest registry role their organisation's `roles` claim maps to, for its authority.

    The organisation's directory is then the source of the role: it may raise or lower it. A
    token without the claim, or with no value mapped here, leaves the role as it is.
    """
    given = [provider.roles[value] for value in claims.get("roles") or () if value in provider.roles]
    if not given:
        return
    role = max(given, key=lambda each: each.rank)
    membership = next((m for m in user.memberships if m.authority_id == authority.id), None)
    previous = membership.role if membership else None
    if previous == role.value:
        return
    if membership is None:
        db.session.add(Membership(user=user, authority=authority, role=role.value))
    else:
        membership.role = role.value
    db.session.flush()
    record(user, "membership.from_identity_provider", "user", user.id,
           {"authority": authority.code, "role": role.value, "previous_role": previous, "provider": provider.key},
           authorities=[authority])

