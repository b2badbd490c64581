"""Who may manage accounts, memberships and API tokens."""

from registry.core.actors import Actor

from .models import ApiToken, User


def can_manage_users(actor: Actor) -> bool:
    """Only administrators create users, grant and revoke memberships, and deactivate accounts."""
    return actor.is_admin


def can_deactivate(actor: Actor, user: User) -> bool:
    """Administrators deactivate others, never themselves (so the registry keeps an administrator)."""
    return actor.is_admin and actor.id != user.id


def can_change_system_role(actor: Actor, user: User) -> bool:
    """Administrators change others' system roles, never their own."""
    return actor.is_admin and actor.id != user.id


def can_create_api_token(actor: Actor) -> bool:
    """Any signed-in, active person may create API tokens for themselves."""
    return isinstance(actor, User) and actor.active


def can_revoke_api_token(actor: Actor, token: ApiToken) -> bool:
    """People revoke their own tokens; deactivating a user stops all of theirs."""
    return isinstance(actor, User) and token.user_id == actor.id
