"""The words of a register read as the registry's: headers, dates, names and cells a spreadsheet would run."""

import pytest

from registry.imports import matching


@pytest.mark.parametrize("header,field", [
    (" Title", "title"), ("LEAD  ORGANISATION", "lead"), ("Other Organisations Involved", "others"),
    ("Review date", "review_date"), ("Lead-organisation", "lead"), ("Legal basis", "legal_bases"), ("Ref.", "reference"),
])
def test_headers_are_matched_whatever_their_case_spacing_and_punctuation(header, field):
    assert matching.header_mapping(["Notes", header]) == {field: 1}


@pytest.mark.parametrize("cell", ["=1+1", "+44 113", "@SUM(A1)", "\tcmd", "-cmd|' /C calc'!A0"])
def test_text_a_spreadsheet_would_run_is_noticed(cell):
    assert matching.looks_like_formula(cell)


@pytest.mark.parametrize("cell", ["-", "- see notes", "-5", "-0.5", "Leeds", "", "a=b"])
def test_ordinary_text_and_negative_numbers_are_not_formulas(cell):
    assert not matching.looks_like_formula(cell)


@pytest.mark.parametrize("cell", ["next spring", "31/02/2026", "TBC", 12])
def test_what_is_not_a_date_is_refused(cell):
    with pytest.raises(ValueError):
        matching.parse_date(cell)


def test_a_blank_date_is_none():
    assert matching.parse_date("") is None and matching.parse_date(None) is None
