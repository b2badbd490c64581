"""What the invitation emails say: the invitation itself, and the note to someone who already has an account."""

from flask import current_app

from registry.authorities.models import Authority
from registry.core.account_emails import AccountEmail
from registry.core.links import external_url
from registry.core.templating import format_datetime
from registry.users.models import User
from registry.users.roles import Role

from .models import Invitation


def _inviter(invited_by: User | None) -> str:
    return invited_by.name if invited_by is not None else "The registry's administrators"


def _what_they_get(role: str, administrator: bool, authority: Authority) -> str:
    role_words = f"{Role(role).label.lower()} for {authority.name}"
    if administrator:
        return f"{role_words}, and an administrator for it (you can invite its people and give them roles)"
    return role_words


def who_to_ask(invitation: Invitation) -> str:
    """Return whom to ask for a new invitation, in words: who sent this one, or any administrator for its authority."""
    if invitation.invited_by is not None:
        return f"{invitation.invited_by.name} or another administrator for {invitation.authority.name}"
    return f"an administrator for {invitation.authority.name}"


def invitation(invitation: Invitation, token: str) -> AccountEmail:
    """Return the email that invites a person, with the link that lets them join."""
    service = current_app.config["SERVICE_NAME"]
    authority = invitation.authority
    who = _inviter(invitation.invited_by)
    return AccountEmail(
        subject=f"You are invited to the {service} for {authority.name}",
        title=f"Join the {service}",
        paragraphs=[
            f"{who} has invited you to the {service} as {_what_they_get(invitation.role, invitation.administrator, authority)}.",
            "Follow the link to choose your password. You will then be signed in.",
        ],
        action="Accept the invitation",
        link=external_url("join.show", token=token),
        closing=[
            f"The link works once, until {format_datetime(invitation.expires_at)}. If it has stopped working, "
            f"ask {who_to_ask(invitation)} to send you a new invitation.",
            "If you were not expecting this, you can ignore this email: nothing happens unless you follow the link.",
        ],
    )


def role_added(user: User, authority: Authority, role: str, administrator: bool, invited_by: User | None) -> AccountEmail:
    """Return the email telling someone who already has an account of the role they were just given."""
    service = current_app.config["SERVICE_NAME"]
    return AccountEmail(
        subject=f"You now have a role for {authority.name} in the {service}",
        title=f"You are now {Role(role).label.lower()} for {authority.name}",
        paragraphs=[
            f"{_inviter(invited_by)} invited you to {authority.name}. You already had an account with this email "
            f"address, so you are now {_what_they_get(role, administrator, authority)}: nothing else to do.",
        ],
        action="Sign in",
        link=external_url("auth.sign_in"),
        closing=["If you think this is a mistake, tell an administrator for " + authority.name + "."],
    )
