"""Who the demonstration users are."""

from dataclasses import dataclass

# Printed by `make run`; only ever loaded outside production.
DEMO_PASSWORD = "demo-passphrase-2026"


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    description: str
    system_role: str | None = None
    memberships: tuple[tuple[str, str], ...] = ()
    administers: tuple[str, ...] = ()  # codes of the authorities whose people they administer


DEMO_USERS = (
    DemoUser("approver@leeds.example.org", "Amina Approver", "approver for Leeds City Council", memberships=(("LDS", "approver"),)),
    DemoUser("contributor@leeds.example.org", "Callum Contributor", "contributor for Leeds City Council", memberships=(("LDS", "contributor"),)),
    DemoUser("viewer@leeds.example.org", "Vera Viewer", "viewer for Leeds City Council", memberships=(("LDS", "viewer"),)),
    DemoUser("approver@bradford.example.org", "Bilal Approver", "approver for Bradford", memberships=(("BRD", "approver"),)),
    DemoUser("contributor@bradford.example.org", "Beth Contributor", "contributor for Bradford", memberships=(("BRD", "contributor"),)),
    DemoUser("approver@kirklees.example.org", "Kate Approver", "approver for Kirklees Council", memberships=(("KIR", "approver"),)),
    DemoUser("contributor@kirklees.example.org", "Kofi Contributor", "contributor for Kirklees Council", memberships=(("KIR", "contributor"),)),
    # Administers Leeds's people (invites them, gives and takes roles) without a role of her own.
    DemoUser("people@leeds.example.org", "Lola People-Admin", "administrator for Leeds City Council (invites its people)",
             administers=("LDS",)),
    DemoUser("auditor@registry.example.org", "Aisha Auditor", "auditor (reads everything, checks the log)", system_role="auditor"),
    DemoUser("admin@registry.example.org", "Adam Admin", "administrator (users and authorities)", system_role="admin"),
)
