"""The services check who may change the legal vocabulary themselves, so no entry point can skip the check."""

from datetime import date

import pytest

from registry.users.actors import COMMAND_LINE
from registry.core.errors import PermissionDenied
from registry.legal import policies, services
from registry.legal.reference import BUNDLED_FILE, read_legal_bases
from tests.factories import make_authority, make_legal_basis, make_user
from tests.snapshots import database_snapshot

NEW_GATEWAY = {
    "code": "GW-LOCAL-1",
    "kind": "gateway",
    "mandatory": False,
    "citation": "Example Council Act 2026, section 1",
    "title": "Example Council Act 2026, section 1",
    "summary": "A local power to share.",
    "url": "https://www.legislation.gov.uk/ukla/2026/1/section/1",
    "commenced": date(2026, 1, 1),
    "part": None,
    "paragraph": None,
    "needs_schedule1": False,
    "special_category": False,
    "criminal_offence": False,
    "public_authority_may_rely": True,
    "notes": "",
}

USE_CASES = {
    "add": lambda actor, legal_basis: services.add_legal_basis(actor, NEW_GATEWAY),
    "edit": lambda actor, legal_basis: services.edit_legal_basis(actor, legal_basis, {"notes": "Changed."}),
    "import": lambda actor, legal_basis: services.import_legal_bases(actor, read_legal_bases(BUNDLED_FILE)),
}


def _person(kind: str):
    if kind in ("admin", "auditor"):
        return make_user(system_role=kind)
    return make_user(memberships={make_authority(): kind})


@pytest.mark.parametrize("use_case", USE_CASES)
@pytest.mark.parametrize("person", ["viewer", "contributor", "approver", "auditor"])
def test_only_administrators_may_change_the_vocabulary(app, person, use_case):
    actor = _person(person)
    legal_basis = make_legal_basis()
    before = database_snapshot()
    with pytest.raises(PermissionDenied):
        USE_CASES[use_case](actor, legal_basis)
    assert database_snapshot() == before


@pytest.mark.parametrize("actor", ["admin", "command line"])
def test_administrators_and_the_command_line_pass_every_policy(app, actor):
    acting = COMMAND_LINE if actor == "command line" else _person("admin")
    legal_basis = make_legal_basis()
    assert policies.can_add_legal_basis(acting)
    assert policies.can_edit(acting, legal_basis)
    assert policies.can_import_legal_bases(acting)
