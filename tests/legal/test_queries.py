"""The queries other features use to find legal bases: by code, by kind, all, and by a list of codes."""

import pytest

from registry.core.errors import NotFound
from registry.legal.queries import all_legal_bases, legal_bases_by_codes, legal_bases_of_kind, legal_basis_by_code
from tests.factories import make_legal_basis


@pytest.fixture
def mixed(app):
    """A few legal bases of every kind, made out of order."""
    make_legal_basis(code="GW-B", kind="gateway", mandatory=True)
    make_legal_basis(code="DPA2018-S1-P29", kind="schedule1", part=3, paragraph=29)
    make_legal_basis(code="GW-A", kind="gateway", mandatory=False)
    make_legal_basis(code="DPA2018-S1-P10", kind="schedule1", part=2, paragraph=10)
    make_legal_basis(code="DPA2018-S1-P6", kind="schedule1", part=2, paragraph=6)
    make_legal_basis(code="UKGDPR-A10", kind="article10", needs_schedule1=True)
    make_legal_basis(code="UKGDPR-A9-2-G", kind="article9", needs_schedule1=True)
    make_legal_basis(code="UKGDPR-A6-1-E", kind="article6")
    make_legal_basis(code="UKGDPR-A6-1-C", kind="article6")


def test_all_legal_bases_follow_kind_then_part_and_paragraph_then_code(mixed):
    assert [b.code for b in all_legal_bases()] == [
        "UKGDPR-A6-1-C",
        "UKGDPR-A6-1-E",
        "UKGDPR-A9-2-G",
        "UKGDPR-A10",
        "DPA2018-S1-P6",
        "DPA2018-S1-P10",
        "DPA2018-S1-P29",
        "GW-A",
        "GW-B",
    ]


def test_legal_bases_of_kind_returns_only_that_kind_in_order(mixed):
    assert [b.code for b in legal_bases_of_kind("schedule1")] == ["DPA2018-S1-P6", "DPA2018-S1-P10", "DPA2018-S1-P29"]


def test_legal_basis_by_code_ignores_case(mixed):
    assert legal_basis_by_code("gw-a").code == "GW-A"


def test_legal_basis_by_code_raises_not_found_for_an_unknown_code(mixed):
    with pytest.raises(NotFound, match="There is no legal basis with the code NOPE"):
        legal_basis_by_code("NOPE")


def test_legal_bases_by_codes_returns_those_found_in_order(mixed):
    found = legal_bases_by_codes(["GW-A", "ukgdpr-a6-1-e", "NOPE", "DPA2018-S1-P10"])
    assert [b.code for b in found] == ["UKGDPR-A6-1-E", "DPA2018-S1-P10", "GW-A"]


def test_legal_bases_by_codes_of_nothing_is_empty(mixed):
    assert legal_bases_by_codes([]) == []
