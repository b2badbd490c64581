"""Who a use case acts for: the one type every service, policy and audit entry takes as `actor`.

Two kinds of actor exist: a signed-in person (registry/users/models.py, `User`) and the
system itself (registry/users/actors.py, the command line and the scheduler). Both answer
these questions; nothing else about them may be assumed by a service or a policy.
"""

from collections.abc import Iterable
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Actor(Protocol):
    """What a service may ask of whoever acts."""

    @property
    def id(self) -> int | None:
        """The person's user id; None for the system."""

    @property
    def is_authenticated(self) -> bool:
        """True for anyone who has proved who they are (the system always has)."""

    @property
    def is_admin(self) -> bool:
        """True for a system administrator (and the command line)."""

    @property
    def is_auditor(self) -> bool:
        """True for a system auditor."""

    @property
    def system_role(self) -> str | None:
        """The role across the whole registry, if any."""

    @property
    def memberships(self) -> Iterable[Any]:
        """The actor's memberships of authorities (none for the system)."""

    @property
    def audit_actor(self) -> dict:
        """How the audit log names the actor."""

    def role_in(self, authority: Any) -> Any | None:
        """The actor's role in the authority, or None."""

    def has_role(self, authority: Any, role: Any) -> bool:
        """True if the actor holds the role, or one that includes it, in the authority."""

    @property
    def administered_authority_ids(self) -> frozenset[int]:
        """The ids of the authorities whose people the actor administers (none for the system)."""

    def administers(self, authority: Any) -> bool:
        """True if the actor is an administrator for the authority (a grant of its own, not a role)."""
