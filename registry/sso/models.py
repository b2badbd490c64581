"""Who someone is at an identity provider (their identity), and the sign-ins started there and not yet finished."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core.db import UTCDateTime, utcnow
from registry.extensions import db
from registry.users.models import User


class Identity(db.Model):
    """A person's account at an identity provider, linked to their account here.

    Keyed on what the provider promises never to reuse or change: for Entra ID the tenant
    (`tid`) and object id (`oid`), otherwise the subject (`sub`), always with the issuer.
    Never on the email address, which people and administrators can change.
    """

    __tablename__ = "identities"
    __table_args__ = (sa.UniqueConstraint("issuer", "tenant_id", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The provider's name in the settings (OIDC_PROVIDERS), for people and the log.
    provider: Mapped[str] = mapped_column(sa.String(40))
    issuer: Mapped[str] = mapped_column(sa.String(300))
    # "" rather than NULL when the provider has no tenants, so the unique constraint holds on both databases.
    tenant_id: Mapped[str] = mapped_column(sa.String(64), default="")
    subject: Mapped[str] = mapped_column(sa.String(255))  # `oid` with a tenant, `sub` without
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class SignInAttempt(db.Model):
    """A sign-in sent to a provider and waiting for it to come back, known by the hash of its `state`.

    Kept on the server, not only in the browser's cookie, so a callback can be used once: a
    copy of the old cookie and the callback's URL cannot replay it.
    """

    __tablename__ = "sign_in_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    state_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    provider: Mapped[str] = mapped_column(sa.String(40))
    nonce: Mapped[str] = mapped_column(sa.String(64))
    code_verifier: Mapped[str] = mapped_column(sa.String(128))
    next_path: Mapped[str] = mapped_column(sa.String(500), default="")
    # Set when someone signed in with a password started it from their account page, to link
    # their organisation's account to this one: the one way an existing account gets an identity.
    link_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
