"""Use cases for accounts: create users, grant and revoke roles and administrator grants, deactivate, passwords, API tokens."""

import sqlalchemy as sa

from registry.auditlog.recording import commitment, record
from registry.auth import passwords, sessions, throttle
from registry.authorities.models import Authority
from registry.core import events
from registry.core.actors import Actor
from registry.core.clock import today
from registry.core.db import utcnow
from registry.core.errors import Conflict, PermissionDenied, ValidationFailed
from registry.core.tokens import new_secret, secret_hash
from registry.extensions import db

from . import policies, queries
from .events import PasswordChanged, UserDeactivated
from .models import ApiToken, AuthorityAdministrator, Membership, User
from .roles import Role

API_TOKEN_PREFIX = "dsr_"  # makes a leaked token easy to recognise, e.g. by secret scanners


def create_user(actor: Actor, *, email: str, name: str, password: str, system_role: str | None = None) -> User:
    """Create an account with an initial password."""
    if not policies.can_manage_users(actor):
        raise PermissionDenied("Only administrators can create users.")
    email = email.strip().lower()
    problems = passwords.password_problems(password, email=email, name=name)
    if problems:
        raise ValidationFailed({"password": problems})
    if queries.user_by_email(email) is not None:
        raise ValidationFailed.single("email", "There is already an account with this email address")
    user = User(
        email=email,
        name=name.strip(),
        password_hash=passwords.hash_password(password),
        system_role=system_role,
    )
    db.session.add(user)
    db.session.flush()
    # Who the person is (name, email) stays in the users table, which can be corrected or
    # erased; the permanent log knows them only by id.
    record(actor, "user.create", "user", user.id, {"system_role": system_role})
    return user


def _refuse_self_or_outsider(actor: Actor, user: User, authority: Authority, what: str) -> None:
    """Raise PermissionDenied saying why, when the actor may not change `what` for the user at the authority."""
    if actor.id is not None and actor.id == user.id:
        raise PermissionDenied(f"You cannot change your own {what}: ask another administrator.")
    raise PermissionDenied(f"Only administrators for {authority.name} can change its {what}.")


def _refuse_ended(authority: Authority) -> None:
    if not authority.is_current(today()):
        raise ValidationFailed.single(
            "authority_code", f"{authority.name} has ended: give a role for its successor instead"
        )


def grant_membership(actor: Actor, user: User, authority: Authority, role: Role) -> Membership:
    """Give the user a role for the authority, or change the role they already have there."""
    if not policies.can_grant_role(actor, user, authority):
        _refuse_self_or_outsider(actor, user, authority, "roles")
    _refuse_ended(authority)
    membership = next((m for m in user.memberships if m.authority_id == authority.id), None)
    previous_role = membership.role if membership else None
    if membership is None:
        membership = Membership(user=user, authority=authority, role=role.value)
        db.session.add(membership)
    elif membership.role == role.value:
        raise Conflict(f"{user.name} is already {role.label.lower()} for {authority.name}.")
    else:
        membership.role = role.value
    db.session.flush()
    record(
        actor,
        "membership.grant",
        "user",
        user.id,
        {"authority": authority.code, "role": role.value, "previous_role": previous_role},
        authorities=[authority],
    )
    return membership


def revoke_membership(actor: Actor, membership: Membership) -> None:
    """Take away a user's role for an authority."""
    user, authority, role = membership.user, membership.authority, membership.role
    if not policies.can_revoke_role(actor, membership):
        _refuse_self_or_outsider(actor, user, authority, "roles")
    user.memberships.remove(membership)
    db.session.flush()
    record(actor, "membership.revoke", "user", user.id, {"authority": authority.code, "role": role}, authorities=[authority])


def appoint_administrator(actor: Actor, user: User, authority: Authority) -> AuthorityAdministrator:
    """Make the user an administrator for the authority: they may then invite its people and manage their roles."""
    if not policies.can_appoint_administrator(actor, user, authority):
        _refuse_self_or_outsider(actor, user, authority, "administrators")
    _refuse_ended(authority)
    if user.administers(authority):
        raise Conflict(f"{user.name} is already an administrator for {authority.name}.")
    grant = AuthorityAdministrator(user=user, authority=authority)
    db.session.add(grant)
    db.session.flush()
    record(actor, "administrator.appoint", "user", user.id, {"authority": authority.code}, authorities=[authority])
    return grant


def remove_administrator(actor: Actor, grant: AuthorityAdministrator) -> None:
    """Stop the user administering the authority; their role for it, if any, stays."""
    user, authority = grant.user, grant.authority
    if not policies.can_remove_administrator(actor, grant):
        _refuse_self_or_outsider(actor, user, authority, "administrators")
    user.administrator_grants.remove(grant)
    db.session.flush()
    record(actor, "administrator.remove", "user", user.id, {"authority": authority.code}, authorities=[authority])


def set_system_role(actor: Actor, user: User, system_role: str | None) -> User:
    """Make the user an auditor or administrator, or neither."""
    if not policies.can_change_system_role(actor, user):
        raise PermissionDenied("Administrators cannot change their own system role.")
    if user.system_role == system_role:
        raise Conflict("The user already has that system role.")
    previous = user.system_role
    user.system_role = system_role
    db.session.flush()
    record(actor, "user.set_system_role", "user", user.id, {"system_role": system_role, "previous_system_role": previous})
    return user


def deactivate_user(actor: Actor, user: User) -> User:
    """Stop the user signing in or using the API, and end their sessions; their history stays."""
    _check_may_deactivate(actor, user)
    if not user.active:
        raise Conflict(f"{user.name}'s account is already deactivated.")
    now = utcnow()
    user.active = False
    user.deactivated_at = now
    sessions.end_all_sessions(user)
    # Their API tokens and calendar addresses stop for good: reactivating the account must
    # not bring back a secret that may have leaked meanwhile (they can make new ones).
    # Calendars stop their own feeds when told (registry/calendars/services.py).
    stopped = {"api_tokens_revoked": _revoke_all(ApiToken, user, now), **events.emit(UserDeactivated(user, now))}
    db.session.flush()
    record(actor, "user.deactivate", "user", user.id, stopped)
    return user


def _revoke_all(model, user: User, now) -> int:
    """Revoke every live secret of the user's of one kind; return how many."""
    return db.session.execute(
        sa.update(model)
        .where(model.user_id == user.id, model.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session="fetch")
    ).rowcount


def _check_may_deactivate(actor: Actor, user: User) -> None:
    if policies.can_deactivate(actor, user):
        return
    if actor.id is not None and actor.id == user.id:
        raise PermissionDenied("You cannot deactivate or reactivate your own account.")
    raise PermissionDenied(
        "Only a system administrator can deactivate or reactivate someone who belongs to another authority "
        "or has a system role: take away their role for your authority instead."
    )


def reactivate_user(actor: Actor, user: User) -> User:
    """Let a deactivated user sign in again."""
    _check_may_deactivate(actor, user)
    if user.active:
        raise Conflict(f"{user.name}'s account is already active.")
    user.active = True
    user.deactivated_at = None
    db.session.flush()
    record(actor, "user.reactivate", "user", user.id)
    return user


def change_password(
    actor: Actor, user: User, *, current_password: str, new_password: str, client_address: str, keep_session: str | None
) -> User:
    """Change the user's own password, after checking their current one; end their other sessions.

    A wrong current password counts as a failed sign-in (throttle.py), so a session left open
    on a shared computer cannot be used to guess the password. The session with the token
    `keep_session` (the one the change is made in) stays open.
    """
    if not policies.can_change_password(actor, user):
        raise PermissionDenied("You can only change your own password.")
    throttle.reserve_attempt(user.email, client_address)
    if not passwords.verify_password(user.password_hash, current_password):
        raise ValidationFailed.single("current_password", "Your current password is not right")
    throttle.clear_failures(user.email)
    problems = passwords.password_problems(new_password, email=user.email, name=user.name)
    if problems:
        raise ValidationFailed({"new_password": problems})
    if passwords.verify_password(user.password_hash, new_password):
        raise ValidationFailed.single("new_password", "Your new password must be different from your current one")
    user.password_hash = passwords.hash_password(new_password)
    ended = sessions.end_all_sessions(user, keep=keep_session)
    db.session.flush()
    told = events.emit(PasswordChanged(user, utcnow(), reset=False))
    record(actor, "user.change_password", "user", user.id, {"sessions_ended": ended, **told})
    return user


def create_api_token(actor: Actor, name: str) -> tuple[ApiToken, str]:
    """Create an API token for the actor; return it with the secret, which is never shown again."""
    if not policies.can_create_api_token(actor):
        raise PermissionDenied("Only signed-in people can create API tokens for themselves.")
    secret = new_secret(API_TOKEN_PREFIX)
    token = ApiToken(user_id=actor.id, name=name.strip(), token_hash=secret_hash(secret), prefix=secret[:12])
    db.session.add(token)
    db.session.flush()
    record(actor, "api_token.create", "api_token", token.id, {"user": actor.id, "name_sha256": commitment(token.name)})
    return token, secret


def revoke_api_token(actor: Actor, token: ApiToken) -> ApiToken:
    """Stop an API token working."""
    if not policies.can_revoke_api_token(actor, token):
        raise PermissionDenied("You can only revoke your own API tokens.")
    if token.is_revoked:
        raise Conflict("This token has already been revoked.")
    token.revoked_at = utcnow()
    db.session.flush()
    record(actor, "api_token.revoke", "api_token", token.id, {"user": token.user_id})
    return token
