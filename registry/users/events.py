"""What happens to accounts that other features may react to (registry/core/events.py)."""

from dataclasses import dataclass
from datetime import datetime

from .models import User


@dataclass(frozen=True)
class UserDeactivated:
    """An account was deactivated: whatever else lets its owner in (calendar addresses) stops too.

    Subscribers report what they stopped, for the deactivation's audit entry.
    """

    user: User
    at: datetime


@dataclass(frozen=True)
class PasswordChanged:
    """A person's password was changed by them, or reset by email: they are told, in case it was not them.

    Subscribers report what they did (an email written), for the change's audit entry.
    """

    user: User
    at: datetime
    reset: bool
