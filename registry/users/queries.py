"""Finding users and their tokens."""

import sqlalchemy as sa

from registry.core.errors import NotFound
from registry.extensions import db

from .models import ApiToken, Membership, User


def user_search(q: str = "") -> sa.Select:
    """Return a query for users whose name or email contains the text, by name."""
    statement = sa.select(User)
    if q.strip():
        pattern = "%" + q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(sa.or_(User.name.ilike(pattern, escape="\\"), User.email.ilike(pattern, escape="\\")))
    return statement.order_by(User.name, User.id)


def user_by_id(user_id: int) -> User:
    """Return the user, or raise NotFound."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("There is no such user.")
    return user


def user_by_email(email: str) -> User | None:
    """Return the user with this email address (in any case), or None."""
    return db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def membership_of(user: User, membership_id: int) -> Membership:
    """Return one of the user's memberships, or raise NotFound."""
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.user_id != user.id:
        raise NotFound("There is no such membership.")
    return membership


def api_tokens_of(user: User) -> list[ApiToken]:
    """Return the user's API tokens, newest first."""
    return list(db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())))


def api_token_of(user: User, token_id: int) -> ApiToken:
    """Return one of the user's API tokens, or raise NotFound."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("There is no such API token.")
    return token
