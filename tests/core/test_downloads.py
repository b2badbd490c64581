"""The one rule for spreadsheet cells, and the XLSX writer: formulas made inert, numbers and dates kept typed."""

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from registry.core.downloads import neutralised, safe_cell, write_xlsx, xlsx_cell


@pytest.mark.parametrize("text", ["=1+1", "+44 113", "-5", "@SUM(A1)", "\tindent", "\rreturn"])
def test_text_a_spreadsheet_would_run_gets_a_leading_apostrophe(text):
    assert neutralised(text) == "'" + text
    assert safe_cell(text) == "'" + text
    assert xlsx_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Leeds", "a=b", " =1", "", "'quoted"])
def test_other_text_is_left_as_it_is(text):
    assert neutralised(text) == text


def test_numbers_and_dates_stay_typed_in_excel_and_negative_numbers_are_not_text():
    assert xlsx_cell(-5) == -5
    assert xlsx_cell(2.5) == 2.5
    assert xlsx_cell(date(2027, 3, 31)) == date(2027, 3, 31)
    assert safe_cell(-5) == "-5"


def test_yes_no_and_moments_read_the_same_in_csv_and_excel():
    moment = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)
    assert xlsx_cell(True) == safe_cell(True) == "yes"
    assert xlsx_cell(None) is None and safe_cell(None) == ""
    assert xlsx_cell(moment) == safe_cell(moment) == "2026-12-05T09:30:00+00:00"


def test_the_xlsx_writer_writes_a_bold_header_and_typed_rows():
    buffer = io.BytesIO()
    write_xlsx(buffer, "Agreements", ["reference", "review_due", "version"], [("DSA-1", date(2027, 1, 1), 2), ("=cmd", None, None)])

    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert sheet.title == "Agreements"
    assert [cell.value for cell in sheet[1]] == ["reference", "review_due", "version"]
    assert sheet["A1"].font.bold
    assert (sheet["A2"].value, sheet["B2"].value.date(), sheet["C2"].value) == ("DSA-1", date(2027, 1, 1), 2)
    assert (sheet["A3"].value, sheet["A3"].data_type) == ("'=cmd", "s")
