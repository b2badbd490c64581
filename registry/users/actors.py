"""The actor for work not done by a signed-in person: the command line and scheduled jobs."""

from dataclasses import dataclass

from registry.users.roles import SystemRole


@dataclass(frozen=True)
class SystemActor:
    """Someone with shell access to the server, acting through a CLI command or a scheduled job.

    Such an operator can already change anything in the database, so the CLI acts with
    administrator rights, but like an administrator it holds no membership of any
    authority and so cannot approve for one.
    """

    name: str = "command-line"
    system_role: str = SystemRole.ADMIN
    memberships: tuple = ()

    is_admin = True
    is_auditor = False
    is_authenticated = True
    id = None

    @property
    def audit_actor(self) -> dict:
        """Return how the audit log names this actor."""
        return {"type": "system", "name": self.name}

    def role_in(self, authority) -> None:
        """Return None: the system belongs to no authority."""
        return None

    def has_role(self, authority, role) -> bool:
        """Return False: the system holds no role in any authority."""
        return False

    # Its rights over every authority's people come from is_admin, not from a grant per authority.
    administered_authority_ids = frozenset()

    def administers(self, authority) -> bool:
        """Return False: the system is no authority's own administrator."""
        return False


COMMAND_LINE = SystemActor("command-line")
# The scheduled job (`flask agreements tick`): applies the transitions dates call for.
SCHEDULER = SystemActor("scheduler")
