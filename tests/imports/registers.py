"""A county-style register as councils keep them, generated with its messy names, dates and blanks,
and what importing each row must do."""

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from openpyxl import Workbook

# Headers as typed: spaced and cased at random; problems name them as written, trimmed.
COUNTY_HEADERS = (" Title", "PURPOSE", "Lead  Organisation", "Other Organisations Involved", "Review date")

# How the register writes each authority the test knows (tests/imports/conftest.py makes them).
WRITTEN = {
    "LDS": ("Leeds City Council", "Leeds CC", "LEEDS CITY COUNCIL", " leeds city council ", "Leeds"),
    "BRD": ("City of Bradford Metropolitan District Council", "Bradford MDC", "Bradford Council", "Bradford"),
    "KIR": ("Kirklees Council", "Kirklees"),
    "CLD": ("Calderdale Council", "Calderdale MBC", "Calderdale"),
    "WKF": ("Wakefield Council", "Wakefield MDC"),
    "WYP": ("West Yorkshire Police",),
    "LTH": ("Leeds Teaching Hospitals NHS Trust",),
}
TOPICS = ("Troubled families", "Youth offending", "Domestic abuse MARAC", "Adult safeguarding", "School admissions",
          "Council tax reduction", "Public health intelligence", "Anti-social behaviour", "Hospital discharge",
          "Fire safety referrals", "Missing children", "Prevent referrals", "Homelessness prevention")
FIRST_DAY = date(2027, 1, 1)


@dataclass
class Row:
    """One row of the register, and what importing it must do."""

    cells: list
    lead: str | None = None
    others: set = field(default_factory=set)
    review: date | None = None
    problem_columns: set = field(default_factory=set)


def _date_cell(rnd: random.Random, day: date, as_xlsx: bool):
    form = rnd.randrange(4)
    if form == 0:
        return (day - date(1899, 12, 30)).days  # an Excel serial, as a cell without a date format shows it
    if form == 1:
        return day.strftime("%d/%m/%Y")
    if form == 2:
        return f"{day.day} {day.strftime('%B %Y')}"
    return day if as_xlsx else day.strftime("%-d %b %Y")


def county_register(count: int = 200, *, seed: int = 15, as_xlsx: bool = True) -> list[Row]:
    """Return a register of `count` rows; every tenth row has one mistake a person would make."""
    rnd = random.Random(seed)
    rows = []
    for number in range(count):
        row = Row(cells=[])
        lead = rnd.choice(("LDS", "BRD"))
        others = set(rnd.sample(sorted(set(WRITTEN) - {lead}), rnd.randrange(0, 4)))
        review = FIRST_DAY + timedelta(days=rnd.randrange(0, 900))
        title = f"{rnd.choice(TOPICS)} sharing {number + 1}" + rnd.choice(("", " ", "  "))
        purpose = rnd.choice(("", "To safeguard children at risk.", "Identify households needing early help", "See signed PDF"))
        written_others = [rnd.choice(WRITTEN[code]) for code in sorted(others)]
        joiner = rnd.choice(("; ", "\n", ";"))
        review_cell = _date_cell(rnd, review, as_xlsx)
        row.lead, row.others, row.review = lead, others, review
        mistake = number % 10 == 9 and number // 10 % 6
        if mistake == 1:
            title = "  "
            row.problem_columns.add("Title")
        elif mistake == 2:
            written_others.append("Leeds Citty Councill")
            row.problem_columns.add("Other Organisations Involved")
        elif mistake == 3:
            review_cell = "next spring"
            row.problem_columns.add("Review date")
        elif mistake == 4:
            # Text a later export would hand to a spreadsheet as a formula ("=" in XLSX is a formula: its value is read).
            purpose = "+44 113 222 0000 for the signed copy"
            row.problem_columns.add("PURPOSE")
        elif mistake == 5:
            lead = "KIR"  # the importer is no member of Kirklees
            row.lead = lead
            row.others.discard("KIR")
            written_others = [rnd.choice(WRITTEN[code]) for code in sorted(row.others)]
            row.problem_columns.add("Lead  Organisation")  # read as written, only trimmed
        if number % 7 == 3:
            review_cell, row.review = "", None  # drafts may leave the review date blank
        row.cells = [title, purpose, rnd.choice(WRITTEN[lead]), joiner.join(written_others), review_cell]
        rows.append(row)
    return rows


def as_xlsx(rows: list[Row], headers=COUNTY_HEADERS) -> bytes:
    """Return the register as an XLSX file."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Register"
    sheet.append(list(headers))
    for row in rows:
        sheet.append(row.cells)
    for cell in sheet["E"][1:]:
        if isinstance(cell.value, date):
            cell.number_format = "DD/MM/YYYY"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def as_csv(rows: list[Row], headers=COUNTY_HEADERS) -> bytes:
    """Return the register as a CSV file, as Excel saves one."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(row.cells)
    return out.getvalue().encode("utf-8-sig")
