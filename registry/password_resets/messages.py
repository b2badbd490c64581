"""What the password emails say: the reset link, and the notice that a password was changed."""

from flask import current_app

from registry.core.account_emails import AccountEmail
from registry.core.links import external_url
from registry.users.models import User


def reset_link(token: str, minutes: int) -> AccountEmail:
    """Return the email with the link that lets its reader choose a new password.

    Built the same whether or not the address has an account (only one that has is sent),
    so that a request costs the same time either way.
    """
    service = current_app.config["SERVICE_NAME"]
    return AccountEmail(
        subject=f"Reset your password for the {service}",
        title="Reset your password",
        paragraphs=["Someone, we hope you, asked to reset the password for the account with this email address."],
        action="Choose a new password",
        link=external_url("password_resets.show", token=token),
        closing=[
            f"The link works once, for {minutes} minutes. Choosing a new password signs you out everywhere you are signed in.",
            "If you did not ask for this, you can ignore this email: your password has not changed.",
        ],
    )


def password_changed(user: User, *, reset: bool) -> AccountEmail:
    """Return the email telling someone their password was changed or reset, in case it was not them."""
    service = current_app.config["SERVICE_NAME"]
    how = "reset using a link sent to this address" if reset else "changed on your account page"
    return AccountEmail(
        subject=f"Your password for the {service} has been changed",
        title="Your password has been changed",
        paragraphs=[f"The password for your account was {how}. You have been signed out everywhere else."],
        action="If this was not you, reset your password now",
        link=external_url("password_resets.request_form"),
        closing=["Then tell an administrator for your organisation."],
    )
