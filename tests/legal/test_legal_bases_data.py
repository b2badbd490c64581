"""Integrity of the legal vocabulary shipped as reference data (registry/legal/data/legal_bases.json).

Pure data checks: no app, no database.
"""

import datetime
import json
import re
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "registry" / "legal" / "data" / "legal_bases.json"

KEYS = {
    "code", "kind", "title", "summary", "citation", "url", "commenced", "part", "paragraph",
    "needs_schedule1", "special_category", "criminal_offence", "mandatory",
    "public_authority_may_rely", "notes",
}
KINDS = {"article6", "article9", "article10", "schedule1", "gateway"}
CODE = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)+$")
PART_OF_PARAGRAPH = {
    **{p: 1 for p in range(1, 5)},
    **{p: 2 for p in range(6, 29)},
    **{p: 3 for p in range(29, 38)},
}


@pytest.fixture(scope="module")
def raw():
    return DATA.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def entries(raw):
    data = json.loads(raw)
    assert isinstance(data, list) and data
    return data


def by_kind(entries, kind):
    return [e for e in entries if e["kind"] == kind]


def test_file_is_utf8_json_with_two_space_indent(raw, entries):
    assert raw == json.dumps(entries, indent=2, ensure_ascii=False) + "\n"


def test_every_entry_has_exactly_the_expected_keys(entries):
    for e in entries:
        assert set(e) == KEYS, e.get("code")


def test_codes_are_unique_and_well_formed(entries):
    codes = [e["code"] for e in entries]
    assert len(codes) == len(set(codes))
    for code in codes:
        assert CODE.match(code), code


def test_kinds_are_from_the_allowed_set(entries):
    assert {e["kind"] for e in entries} <= KINDS


def test_text_fields_are_non_empty(entries):
    for e in entries:
        for field in ("title", "summary", "citation"):
            assert isinstance(e[field], str) and e[field].strip(), (e["code"], field)
        assert isinstance(e["notes"], str)


def test_urls_are_on_legislation_gov_uk(entries):
    for e in entries:
        assert e["url"].startswith("https://www.legislation.gov.uk/"), e["code"]


def test_commencement_dates_parse(entries):
    for e in entries:
        assert isinstance(e["commenced"], str), e["code"]
        datetime.date.fromisoformat(e["commenced"])


def test_flags_have_the_right_types(entries):
    for e in entries:
        for field in ("needs_schedule1", "special_category", "criminal_offence", "public_authority_may_rely"):
            assert isinstance(e[field], bool), (e["code"], field)


def test_schedule1_entries_have_part_and_paragraph(entries):
    for e in by_kind(entries, "schedule1"):
        part, paragraph = e["part"], e["paragraph"]
        assert isinstance(paragraph, int) and not isinstance(paragraph, bool), e["code"]
        assert PART_OF_PARAGRAPH.get(paragraph) == part, e["code"]
        assert e["code"] == f"DPA2018-S1-P{paragraph}"
        assert e["url"].endswith(f"/ukpga/2018/12/schedule/1/paragraph/{paragraph}")
        assert e["special_category"] is (part in (1, 2)), e["code"]
        if part == 3:
            assert e["criminal_offence"] is True, e["code"]


def test_other_entries_have_no_part_or_paragraph(entries):
    for e in entries:
        if e["kind"] != "schedule1":
            assert e["part"] is None and e["paragraph"] is None, e["code"]


def test_paragraph_5_is_not_a_condition(entries):
    assert 5 not in {e["paragraph"] for e in by_kind(entries, "schedule1")}


def test_article6_coverage(entries):
    codes = {e["code"] for e in by_kind(entries, "article6")}
    assert {f"UKGDPR-A6-1-{p}" for p in ("A", "B", "C", "D", "E", "EA", "F")} <= codes


def test_legitimate_interests_not_for_public_authority_tasks(entries):
    f = next(e for e in entries if e["code"] == "UKGDPR-A6-1-F")
    assert f["public_authority_may_rely"] is False


def test_article9_coverage_and_schedule1_requirement(entries):
    article9 = {e["code"]: e for e in by_kind(entries, "article9")}
    expected = {f"UKGDPR-A9-2-{p}" for p in "ABCDEFGHIJ"}
    assert expected <= set(article9)
    needing = {f"UKGDPR-A9-2-{p}" for p in "BGHIJ"}
    for code in expected:
        assert article9[code]["needs_schedule1"] is (code in needing), code


def test_article10_present_and_needs_schedule1(entries):
    article10 = [e for e in by_kind(entries, "article10") if e["code"] == "UKGDPR-A10"]
    assert len(article10) == 1
    assert article10[0]["needs_schedule1"] is True
    assert article10[0]["criminal_offence"] is True


def test_schedule1_coverage(entries):
    paragraphs = {e["paragraph"] for e in by_kind(entries, "schedule1")}
    expected = set(range(1, 5)) | set(range(6, 29)) | set(range(29, 38))
    assert expected <= paragraphs


def test_gateways_say_whether_mandatory(entries):
    gateways = by_kind(entries, "gateway")
    assert gateways
    for e in gateways:
        assert isinstance(e["mandatory"], bool), e["code"]
        assert e["code"].startswith("GW-"), e["code"]


def test_non_gateways_have_no_mandatory_flag(entries):
    for e in entries:
        if e["kind"] != "gateway":
            assert e["mandatory"] is None, e["code"]


@pytest.mark.parametrize(
    "code, mandatory",
    [
        ("GW-CDA1998-S115", False),
        ("GW-CA2004-S10", True),
        ("GW-CA2004-S11", True),
        ("GW-CA1989-S17", True),
        ("GW-CA1989-S47", True),
        ("GW-CARE2014-S45", True),
        ("GW-DEA2017-S35", False),
        ("GW-LGA1972-S111", False),
        ("GW-HSCA2012-S251B", True),
        ("GW-LOCA2011-S1", False),
    ],
)
def test_named_gateways_present_with_their_classification(entries, code, mandatory):
    gateway = next((e for e in entries if e["code"] == code), None)
    assert gateway is not None, code
    assert gateway["mandatory"] is mandatory
