"""Who may manage accounts, memberships, authority administrators, passwords and API tokens.

Two kinds of people manage others: system administrators, over everyone, and administrators
for an authority, over that authority's people only. Nobody changes their own roles, their
own administrator grant or their own account's standing: another administrator must.
"""

from registry.authorities.models import Authority
from registry.core.actors import Actor

from .models import ApiToken, AuthorityAdministrator, Membership, User


def can_manage_users(actor: Actor) -> bool:
    """Only system administrators create accounts directly (authority administrators invite people instead)."""
    return actor.is_admin


def can_administer(actor: Actor, authority: Authority) -> bool:
    """System administrators administer every authority's people; an authority's administrators, its own."""
    return actor.is_admin or actor.administers(authority)


def can_see_people(actor: Actor) -> bool:
    """System administrators and administrators for an authority see the people pages."""
    return actor.is_admin or bool(actor.administered_authority_ids)


def can_see_user(actor: Actor, user: User) -> bool:
    """System administrators see anyone; an authority's administrators see whoever has a role for it or administers it."""
    return actor.is_admin or bool(user.authority_ids & actor.administered_authority_ids)


def _not_self(actor: Actor, user: User) -> bool:
    return actor.id is None or actor.id != user.id


def can_grant_role(actor: Actor, user: User, authority: Authority) -> bool:
    """Give or change a role for an authority: its administrators, for someone other than themselves."""
    return _not_self(actor, user) and can_administer(actor, authority)


def can_revoke_role(actor: Actor, membership: Membership) -> bool:
    """Take away a role for an authority: its administrators, from someone other than themselves."""
    return can_grant_role(actor, membership.user, membership.authority)


def can_appoint_administrator(actor: Actor, user: User, authority: Authority) -> bool:
    """Make someone an administrator for an authority: system administrators, and its own administrators (never themselves)."""
    return _not_self(actor, user) and can_administer(actor, authority)


def can_remove_administrator(actor: Actor, grant: AuthorityAdministrator) -> bool:
    """Stop someone administering an authority: as for appointing them (nobody removes themselves)."""
    return can_appoint_administrator(actor, grant.user, grant.authority)


def can_deactivate(actor: Actor, user: User) -> bool:
    """Deactivate (or reactivate) someone else's account.

    System administrators may deactivate anyone but themselves. An account is one person's
    key to every authority they belong to, so an authority's administrator may deactivate
    only someone who belongs to no authority but theirs and holds no system role; anyone
    else loses their role for that authority instead.
    """
    if not _not_self(actor, user):
        return False
    if actor.is_admin:
        return True
    belongs_to = user.authority_ids
    return user.system_role is None and bool(belongs_to) and belongs_to <= actor.administered_authority_ids


def can_change_system_role(actor: Actor, user: User) -> bool:
    """System administrators change others' system roles, never their own."""
    return actor.is_admin and _not_self(actor, user)


def can_change_password(actor: Actor, user: User) -> bool:
    """People change their own password, and only their own (others reset theirs by email)."""
    return isinstance(actor, User) and actor.active and actor.id == user.id


def can_create_api_token(actor: Actor) -> bool:
    """Any signed-in, active person may create API tokens for themselves."""
    return isinstance(actor, User) and actor.active


def can_revoke_api_token(actor: Actor, token: ApiToken) -> bool:
    """People revoke their own tokens; deactivating a user stops all of theirs."""
    return isinstance(actor, User) and token.user_id == actor.id
