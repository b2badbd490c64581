"""Finding invitations: by their link's token, by email (for a first sign-in), and those an administrator manages."""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from registry.core.db import utcnow
from registry.core.lookup import get_or_not_found
from registry.core.tokens import secret_hash
from registry.extensions import db

from .models import Invitation


def invitation_by_token(token: str) -> Invitation | None:
    """Return the invitation whose link holds this token, whatever its state, or None (a resent one's old link is None)."""
    return db.session.scalar(sa.select(Invitation).where(Invitation.token_hash == secret_hash(token)))


def pending_invitations_for(email: str) -> list[Invitation]:
    """Return the invitations to this address that can still be accepted (open and not expired), oldest first.

    For a person who proves they hold the address some other way (single sign-on with a
    verified email) and so may accept them without the link.
    """
    return list(db.session.scalars(
        sa.select(Invitation)
        .where(Invitation.email == email.strip().lower(), Invitation.accepted_at.is_(None),
               Invitation.cancelled_at.is_(None), Invitation.expires_at > utcnow())
        .order_by(Invitation.id)
    ))


def open_invitation_for(email: str, authority_id: int) -> Invitation | None:
    """Return the open (not accepted or cancelled) invitation of this address to the authority, if any."""
    return db.session.scalar(
        sa.select(Invitation).where(Invitation.email == email.strip().lower(), Invitation.authority_id == authority_id,
                                    Invitation.accepted_at.is_(None), Invitation.cancelled_at.is_(None))
    )


def open_invitations(authority_ids: frozenset[int] | None = None) -> sa.Select:
    """Return a query for open invitations, newest first: to the given authorities, or to any (None)."""
    statement = (
        sa.select(Invitation)
        .where(Invitation.accepted_at.is_(None), Invitation.cancelled_at.is_(None))
        .options(joinedload(Invitation.authority), joinedload(Invitation.invited_by))
        .order_by(Invitation.sent_at.desc(), Invitation.id.desc())
    )
    if authority_ids is not None:
        statement = statement.where(Invitation.authority_id.in_(sorted(authority_ids)))
    return statement


def invitation_by_id(invitation_id: int) -> Invitation:
    """Return the invitation, or raise NotFound."""
    return get_or_not_found(Invitation, invitation_id, "There is no such invitation.")
