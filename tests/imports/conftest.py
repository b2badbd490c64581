"""What importing needs: the West Yorkshire authorities a county register names, the legal vocabulary, and an importer."""

import pytest

from tests.factories import load_legal_vocabulary, make_authority, make_user

AUTHORITIES = {
    "LDS": ("Leeds City Council", "Leeds", "MD"),
    "BRD": ("City of Bradford Metropolitan District Council", "Bradford", "MD"),
    "KIR": ("Kirklees Council", "Kirklees", "MD"),
    "CLD": ("Calderdale Council", "Calderdale", "MD"),
    "WKF": ("Wakefield Council", "Wakefield", "MD"),
    "WYP": ("West Yorkshire Police", "West Yorkshire Police", "POLICE"),
    "LTH": ("Leeds Teaching Hospitals NHS Trust", "Leeds Teaching Hospitals", "NHS_TRUST"),
}


@pytest.fixture
def west_yorkshire(app):
    """Return the authorities by code, and load the legal vocabulary."""
    load_legal_vocabulary()
    made = {}
    for code, (name, short_name, kind) in AUTHORITIES.items():
        extra = {"ods_code": "RR8"} if kind == "NHS_TRUST" else {}
        made[code] = make_authority(code=code, name=name, short_name=short_name, type=kind, **extra)
    return made


@pytest.fixture
def importer(west_yorkshire):
    """Return an approver of Leeds and Bradford (and of nothing else)."""
    return make_user(memberships={west_yorkshire["LDS"]: "approver", west_yorkshire["BRD"]: "approver"})
