"""The roles a user can hold: one per authority they belong to, and optionally one system-wide."""

from enum import StrEnum


class Role(StrEnum):
    """What a member may do for an authority; each role includes the ones below it."""

    VIEWER = "viewer"
    CONTRIBUTOR = "contributor"
    APPROVER = "approver"

    @property
    def rank(self) -> int:
        """Return the role's place in the order viewer < contributor < approver."""
        return list(Role).index(self)

    @property
    def label(self) -> str:
        """Return the role's name for people."""
        return self.value.capitalize()

    def includes(self, other: "Role") -> bool:
        """Return True if holding this role grants everything `other` grants."""
        return self.rank >= other.rank


class SystemRole(StrEnum):
    """A role across the whole registry, not tied to an authority."""

    AUDITOR = "auditor"  # reads everything, exports and verifies the log, changes nothing
    ADMIN = "admin"  # manages authorities, users and keys; not a back door into approving

    @property
    def label(self) -> str:
        """Return the role's name for people."""
        return self.value.capitalize()
