"""Finding users and their tokens."""

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa

from registry.authorities.queries import authorities_to_choose_from
from registry.core.lookup import get_or_not_found
from registry.core.text_search import contains
from registry.extensions import db

from .models import ApiToken, AuthorityAdministrator, Membership, User


def user_search(q: str = "", *, authority_ids: frozenset[int] | None = None) -> sa.Select:
    """Return a query for users whose name or email contains the text, by name.

    With authority_ids, only the people who have a role for one of those authorities or
    administer one: what an authority's administrator sees.
    """
    statement = sa.select(User)
    if authority_ids is not None:
        ids = sorted(authority_ids)
        statement = statement.where(sa.or_(
            User.id.in_(sa.select(Membership.user_id).where(Membership.authority_id.in_(ids))),
            User.id.in_(sa.select(AuthorityAdministrator.user_id).where(AuthorityAdministrator.authority_id.in_(ids))),
        ))
    if q.strip():
        statement = statement.where(contains(q.strip(), User.name, User.email))
    return statement.order_by(User.name, User.id)


def user_by_id(user_id: int) -> User:
    """Return the user, or raise NotFound."""
    return get_or_not_found(User, user_id, "There is no such user.")


def user_by_email(email: str) -> User | None:
    """Return the user with this email address (in any case), or None."""
    return db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def membership_of(user: User, membership_id: int) -> Membership:
    """Return one of the user's memberships, or raise NotFound."""
    return get_or_not_found(Membership, membership_id, "There is no such membership.", belongs=lambda m: m.user_id == user.id)


def administrator_grant_of(user: User, grant_id: int) -> AuthorityAdministrator:
    """Return one of the user's administrator grants, or raise NotFound."""
    return get_or_not_found(
        AuthorityAdministrator, grant_id, "There is no such administrator grant.", belongs=lambda g: g.user_id == user.id
    )


def authorities_administered_by(actor) -> list:
    """Return the authorities the actor administers, by name; none for a system administrator, who administers all alike."""
    if actor.is_admin:
        return []
    return sorted((grant.authority for grant in actor.administrator_grants), key=lambda authority: authority.name)


def authorities_to_give_roles_for(actor, on: date) -> list:
    """Return the authorities the actor may give roles for, by name: every current one for a system administrator."""
    return authorities_to_choose_from(on) if actor.is_admin else authorities_administered_by(actor)


def administrators_of(authority_ids: Iterable[int]) -> dict[int, list[User]]:
    """Return each authority's own active administrators, by authority id, in one query (an empty list for none)."""
    ids = sorted(set(authority_ids))
    found: dict[int, list[User]] = {authority_id: [] for authority_id in ids}
    if not ids:
        return found
    rows = db.session.execute(
        sa.select(AuthorityAdministrator.authority_id, User)
        .join(User, User.id == AuthorityAdministrator.user_id)
        .where(AuthorityAdministrator.authority_id.in_(ids), User.active.is_(True))
        .order_by(User.name, User.id)
    )
    for authority_id, user in rows:
        found[authority_id].append(user)
    return found


def api_tokens_of(user: User) -> list[ApiToken]:
    """Return the user's API tokens, newest first."""
    return list(db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())))


def api_token_of(user: User, token_id: int) -> ApiToken:
    """Return one of the user's API tokens, or raise NotFound."""
    return get_or_not_found(ApiToken, token_id, "There is no such API token.", belongs=lambda t: t.user_id == user.id)
