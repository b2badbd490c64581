"""Who is in the demonstration: a West Yorkshire network of councils and partner bodies, and their people."""

from dataclasses import dataclass

# Printed by `make run`; only ever loaded outside production.
DEMO_PASSWORD = "demo-passphrase-2026"

# The region partner bodies are given, as the councils' reference data names it.
REGION = "Yorkshire and The Humber"

# The partner bodies in the network. Councils come from the reference data; these are
# added the way an administrator adds them (authorities.services.add_partner). The charity
# is made up, so that no real charity is shown agreeing to anything.
PARTNERS = (
    {"code": "NHS-QWO", "name": "NHS West Yorkshire Integrated Care Board", "short_name": "NHS West Yorkshire ICB",
     "type": "NHS_ICB", "ods_code": "QWO", "nation": "England", "region": REGION},
    {"code": "POLICE-WYP", "name": "West Yorkshire Police", "short_name": "West Yorkshire Police",
     "type": "POLICE", "ods_code": None, "nation": "England", "region": REGION},
    {"code": "CHARITY-AVFS", "name": "Aire Valley Family Support", "short_name": "Aire Valley Family Support",
     "type": "CHARITY", "ods_code": None, "nation": "England", "region": REGION},
)
ICB, POLICE, CHARITY = (partner["code"] for partner in PARTNERS)
LEEDS, BRADFORD, KIRKLEES, CALDERDALE, WAKEFIELD = "LDS", "BRD", "KIR", "CLD", "WKF"


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    description: str
    system_role: str | None = None
    memberships: tuple[tuple[str, str], ...] = ()
    administers: tuple[str, ...] = ()  # codes of the authorities whose people they administer


def _pair(domain: str, code: str, body: str, approver: str, contributor: str) -> tuple[DemoUser, DemoUser]:
    """Return a body's approver (who signs off and attests) and contributor (who drafts and submits)."""
    return (
        DemoUser(f"approver@{domain}.example.org", approver, f"approver for {body}", memberships=((code, "approver"),)),
        DemoUser(f"contributor@{domain}.example.org", contributor, f"contributor for {body}", memberships=((code, "contributor"),)),
    )


DEMO_USERS = (
    *_pair("leeds", LEEDS, "Leeds City Council", "Amina Approver", "Callum Contributor"),
    DemoUser("viewer@leeds.example.org", "Vera Viewer", "viewer for Leeds City Council", memberships=((LEEDS, "viewer"),)),
    *_pair("bradford", BRADFORD, "Bradford", "Bilal Approver", "Beth Contributor"),
    *_pair("kirklees", KIRKLEES, "Kirklees Council", "Kate Approver", "Kofi Contributor"),
    *_pair("calderdale", CALDERDALE, "Calderdale Council", "Cerys Approver", "Conor Contributor"),
    *_pair("wakefield", WAKEFIELD, "Wakefield Council", "Wendy Approver", "Wasim Contributor"),
    *_pair("wyicb", ICB, "NHS West Yorkshire ICB", "Imran Approver", "Isla Contributor"),
    *_pair("wypolice", POLICE, "West Yorkshire Police", "Patrick Approver", "Priya Contributor"),
    *_pair("airevalley", CHARITY, "Aire Valley Family Support (a charity)", "Chloe Approver", "Chidi Contributor"),
    # Administers Leeds's people (invites them, gives and takes roles) without a role of her own.
    DemoUser("people@leeds.example.org", "Lola People-Admin", "administrator for Leeds City Council (invites its people)",
             administers=(LEEDS,)),
    DemoUser("auditor@registry.example.org", "Aisha Auditor", "auditor (reads everything, checks the log)", system_role="auditor"),
    DemoUser("admin@registry.example.org", "Adam Admin", "administrator (users and authorities)", system_role="admin"),
)


def approver_email(code: str) -> str:
    """Return the email of the demo approver of the body with this code."""
    return next(u.email for u in DEMO_USERS if u.memberships == ((code, "approver"),))


def contributor_email(code: str) -> str:
    """Return the email of the demo contributor of the body with this code."""
    return next(u.email for u in DEMO_USERS if u.memberships == ((code, "contributor"),))
