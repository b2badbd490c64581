"""Use cases for invitations: invite someone, send an invitation again, cancel it, and accept it.

Accepting is one function, `accept(invitation, user)`, for whoever has shown they hold the
invited address: by following the emailed link and choosing a password
(`accept_with_password`), by following it while signed in to an account with that address,
or by a first single sign-on with that address verified by their organisation.
"""

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from registry.auditlog.recording import record
from registry.auth import passwords
from registry.auth import services as auth_services
from registry.authorities.models import Authority
from registry.core.actors import Actor
from registry.core.clock import today
from registry.core.db import utcnow
from registry.core.errors import Conflict, PermissionDenied, ValidationFailed
from registry.core.tokens import new_secret, secret_hash
from registry.extensions import db
from registry.outbox.services import enqueue
from registry.users import queries as user_queries
from registry.users import services as user_services
from registry.users.models import AuthorityAdministrator, Membership, User
from registry.users.roles import Role

from . import messages, policies, queries
from .models import Invitation, InvitationStatus


@dataclass(frozen=True)
class Invited:
    """What inviting someone did: sent them an invitation, or (they had an account) gave them the role at once."""

    invitation: Invitation | None = None
    membership: Membership | None = None


def _valid_for() -> timedelta:
    return timedelta(days=current_app.config["INVITATION_VALID_DAYS"])


def invite(actor: Actor, *, email: str, authority: Authority, role: Role, administrator: bool = False) -> Invited:
    """Invite a person by email to have a role (and perhaps to administer) for the authority.

    An address that already has an account is given the role at once and told so by email:
    one person, one account.
    """
    if not policies.can_invite(actor, authority):
        raise PermissionDenied(f"Only administrators for {authority.name} can invite people to it.")
    if not authority.is_current(today()):
        raise ValidationFailed.single("authority_code", f"{authority.name} has ended: invite people to its successor instead")
    email = email.strip().lower()
    existing = user_queries.user_by_email(email)
    if existing is not None:
        return Invited(membership=_add_to_account(actor, existing, authority, role, administrator))
    if queries.open_invitation_for(email, authority.id) is not None:
        raise ValidationFailed.single(
            "email", f"{email} has already been invited to {authority.name}: send that invitation again from the list of invitations"
        )
    now = utcnow()
    token = new_secret()
    invitation = Invitation(
        email=email, authority=authority, role=role.value, administrator=administrator, token_hash=secret_hash(token),
        invited_by=actor if isinstance(actor, User) else None, created_at=now, sent_at=now, expires_at=now + _valid_for(),
    )
    db.session.add(invitation)
    db.session.flush()
    _send(invitation, token)
    record(
        actor, "invitation.create", "invitation", invitation.id,
        {"authority": authority.code, "role": role.value, "administrator": administrator}, authorities=[authority],
    )
    return Invited(invitation=invitation)


def _add_to_account(actor: Actor, user: User, authority: Authority, role: Role, administrator: bool) -> Membership:
    """Give an existing account the role (through the users' own use cases, which record it) and tell its owner."""
    if actor.id is not None and actor.id == user.id:
        raise ValidationFailed.single("email", "You cannot invite yourself: ask another administrator to give you a role")
    if not user.active:
        raise ValidationFailed.single(
            "email", "The account with this email address has been deactivated: it must be reactivated before it is given a role"
        )
    if user.role_in(authority) is not None:
        raise ValidationFailed.single(
            "email", f"{user.name} already has a role for {authority.name}: change it on their page instead"
        )
    membership = user_services.grant_membership(actor, user, authority, role)
    if administrator and not user.administers(authority):
        user_services.appoint_administrator(actor, user, authority)
    email = messages.role_added(user, authority, role.value, administrator, actor if isinstance(actor, User) else None)
    enqueue(key=f"role-added:{user.id}:{authority.code}:{new_secret()[:16]}", to_address=user.email, user_id=user.id,
            subject=email.subject, body=email.text(), html_body=email.html())
    return membership


def _send(invitation: Invitation, token: str) -> None:
    """Write the invitation email, with the link holding the token, to the outbox."""
    email = messages.invitation(invitation, token)
    enqueue(key=f"invitation:{invitation.id}:{invitation.times_sent}", to_address=invitation.email,
            subject=email.subject, body=email.text(), html_body=email.html(), holds_secret=True)


def resend(actor: Actor, invitation: Invitation) -> Invitation:
    """Send the invitation again with a new link, valid for a new 7 days; the link sent before stops working."""
    if not policies.can_manage_invitation(actor, invitation):
        raise PermissionDenied(f"Only administrators for {invitation.authority.name} can send its invitations again.")
    if not invitation.is_open:
        raise Conflict("This invitation has been accepted or cancelled, so it cannot be sent again.")
    now = utcnow()
    token = new_secret()
    invitation.token_hash = secret_hash(token)
    invitation.sent_at = now
    invitation.expires_at = now + _valid_for()
    invitation.times_sent += 1
    db.session.flush()
    _send(invitation, token)
    record(
        actor, "invitation.resend", "invitation", invitation.id,
        {"authority": invitation.authority.code, "times_sent": invitation.times_sent}, authorities=[invitation.authority],
    )
    return invitation


def cancel(actor: Actor, invitation: Invitation) -> Invitation:
    """Cancel the invitation: its link stops working."""
    if not policies.can_manage_invitation(actor, invitation):
        raise PermissionDenied(f"Only administrators for {invitation.authority.name} can cancel its invitations.")
    if not invitation.is_open:
        raise Conflict("This invitation has already been accepted or cancelled.")
    invitation.cancelled_at = utcnow()
    db.session.flush()
    record(actor, "invitation.cancel", "invitation", invitation.id, {"authority": invitation.authority.code},
           authorities=[invitation.authority])
    return invitation


def why_unusable(invitation: Invitation) -> str | None:
    """Return why the invitation cannot be accepted now (accepted, cancelled, expired, its authority ended), or None."""
    status = invitation.status(utcnow())
    if status is not InvitationStatus.PENDING:
        return status.value
    if not invitation.authority.is_current(today()):
        return "ended"
    return None


def accept(invitation: Invitation, user: User) -> Membership:
    """Give the user what the invitation offers and mark it accepted; for whoever has shown they hold its address.

    A role the user was given for the authority meanwhile is never lowered. Recorded with the
    user as actor: they are the one accepting.
    """
    problem = why_unusable(invitation)
    if problem is not None:
        raise Conflict(f"This invitation cannot be used: it is {problem}.")
    if user.email != invitation.email:
        raise PermissionDenied("This invitation is for another email address.")
    if not user.active:
        raise PermissionDenied("This account has been deactivated.")
    now = utcnow()
    # Only one acceptance wins, even two at the same moment (a double click): the loser changes nothing.
    won = db.session.execute(
        sa.update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None), Invitation.cancelled_at.is_(None))
        .values(accepted_at=now, accepted_by_id=user.id)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if won != 1:
        raise Conflict("This invitation has just been accepted or cancelled.")
    authority = invitation.authority
    membership = next((m for m in user.memberships if m.authority_id == authority.id), None)
    previous_role = membership.role if membership else None
    if membership is None:
        membership = Membership(user=user, authority=authority, role=invitation.role)
        db.session.add(membership)
    elif Role(invitation.role).rank > Role(membership.role).rank:
        membership.role = invitation.role
    if invitation.administrator and not user.administers(authority):
        db.session.add(AuthorityAdministrator(user=user, authority=authority))
    db.session.flush()
    record(
        user, "invitation.accept", "invitation", invitation.id,
        {"authority": authority.code, "role": membership.role, "previous_role": previous_role,
         "administrator": invitation.administrator, "user": user.id},
        authorities=[authority],
    )
    return membership


def accept_with_password(invitation: Invitation, *, name: str, password: str) -> User:
    """Create the invited person's account with their name and password, accept the invitation, and sign them in.

    The user returned carries its new session's token, for the browser's cookie.
    """
    problem = why_unusable(invitation)
    if problem is not None:
        raise Conflict(f"This invitation cannot be used: it is {problem}.")
    if user_queries.user_by_email(invitation.email) is not None:
        raise Conflict("There is already an account with this email address: sign in to accept the invitation.")
    problems = passwords.password_problems(password, email=invitation.email, name=name)
    if problems:
        raise ValidationFailed({"password": problems})
    user = User(email=invitation.email, name=name.strip(), password_hash=passwords.hash_password(password))
    db.session.add(user)
    db.session.flush()
    # Who they are stays in the users table; the log knows them by id, and which invitation made them.
    record(user, "user.create", "user", user.id, {"system_role": None, "invitation": invitation.id})
    accept(invitation, user)
    auth_services.sign_in_without_password(user, via="invitation")
    return user
