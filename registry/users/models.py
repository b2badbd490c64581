"""Users, their memberships of authorities, the authorities they administer, and their API tokens."""

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.authorities.models import Authority
from registry.core.db import UTCDateTime, utcnow
from registry.extensions import db

from .roles import Role, SystemRole


def _values_check(column: str, enum: type) -> str:
    return f"{column} IN (" + ", ".join(f"'{member.value}'" for member in enum) + ")"


class User(UserMixin, db.Model):
    """A person who signs in; what they may do comes from their memberships and system role."""

    __tablename__ = "users"
    __table_args__ = (sa.CheckConstraint(_values_check("system_role", SystemRole), name="known_system_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)  # stored lower-cased
    name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    system_role: Mapped[str | None] = mapped_column(sa.String(20))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="Membership.id"
    )
    administrator_grants: Mapped[list["AuthorityAdministrator"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="AuthorityAdministrator.id"
    )

    # Set when the user is loaded from a signed-in session, so Flask-Login stores the
    # session's token rather than the user id: signing out then ends that session for good.
    session_token = None

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.system_role == SystemRole.ADMIN

    @property
    def is_auditor(self) -> bool:
        return self.system_role == SystemRole.AUDITOR

    @property
    def audit_actor(self) -> dict:
        """Return how the audit log names this user: by id, never by name or email."""
        return {"type": "user", "id": self.id}

    def role_in(self, authority: Authority) -> Role | None:
        """Return the user's role for the authority, or None if they are not a member."""
        for membership in self.memberships:
            if membership.authority_id == authority.id:
                return Role(membership.role)
        return None

    def has_role(self, authority: Authority, role: Role) -> bool:
        """Return True if the user holds `role` (or a higher one) for the authority."""
        held = self.role_in(authority)
        return held is not None and held.includes(role)

    @property
    def administered_authority_ids(self) -> frozenset[int]:
        """Return the ids of the authorities whose people this user administers (not the system's)."""
        return frozenset(grant.authority_id for grant in self.administrator_grants)

    def administers(self, authority: Authority) -> bool:
        """Return True if the user is an administrator for the authority (a system administrator is not, by that alone)."""
        return authority.id in self.administered_authority_ids

    @property
    def authority_ids(self) -> frozenset[int]:
        """Return the ids of every authority the user has a role for or administers."""
        return frozenset(m.authority_id for m in self.memberships) | self.administered_authority_ids

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class Membership(db.Model):
    """A user's role for one authority."""

    __tablename__ = "memberships"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "authority_id"),
        sa.CheckConstraint(_values_check("role", Role), name="known_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    authority_id: Mapped[int] = mapped_column(sa.ForeignKey("authorities.id"), index=True)
    role: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    authority: Mapped[Authority] = relationship()


class AuthorityAdministrator(db.Model):
    """A user's right to administer one authority's people: invite them, give and take its roles, deactivate them.

    A grant of its own, not a membership role: it is no rung on viewer < contributor <
    approver, so administering an authority lets nobody read, draft or approve its agreements
    (they need a role for that, which they cannot give themselves).
    """

    __tablename__ = "authority_administrators"
    __table_args__ = (sa.UniqueConstraint("user_id", "authority_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    authority_id: Mapped[int] = mapped_column(sa.ForeignKey("authorities.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="administrator_grants")
    authority: Mapped[Authority] = relationship()


class ApiToken(db.Model):
    """A personal token for the JSON API; only its SHA-256 is kept, the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    # The token is 32 random bytes, so a plain SHA-256 is enough: there is nothing to guess.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(12))  # lets the owner tell tokens apart
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
