"""The register template people download: the columns the import reads, instructions, and drop-down lists."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from registry.agreements.models import AGREEMENT_TYPES

from .matching import DATE_FIELDS, FIELDS
from .reading import MAX_ROWS

INSTRUCTIONS = (
    "How to fill in this register",
    "",
    "Put one agreement on each row of the Agreements sheet, under the headings. Leave the headings as they are.",
    "Title and Lead organisation are needed; leave any other cell blank if you do not know it.",
    "Reference: the agreement's reference in your old register, kept to find it again.",
    "Type: choose from the list.",
    "Lead organisation and Other organisations: the organisations' names as the registry lists them, "
    "for example Leeds City Council. Put each other organisation on its own line in the cell, or separate them with ;",
    "Legal bases: choose from the list, or type several citations separated by ; "
    "for example UK GDPR Article 6(1)(e); Crime and Disorder Act 1998, section 115",
    "Dates: as dates, or written like 31/03/2026 or 31 March 2026.",
    "Date signed: when the agreement was signed outside the registry, if it was.",
    "",
    "Do not type text that starts with =, +, - or @: a spreadsheet would run it as a formula.",
    f"Import at most {MAX_ROWS:,} rows and 5 MB at a time. Save the file as .xlsx (not .xlsm) without a password.",
)


def template_workbook(legal_basis_citations: list[str]) -> bytes:
    """Return the template as XLSX bytes, with lists of agreement types and of the given legal bases' citations."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Agreements"
    sheet.append([label for label, _ in FIELDS.values()])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = 24
    sheet.freeze_panes = "A2"

    lists = workbook.create_sheet("Lists")
    lists.append(["Agreement types", "Legal bases"])
    for row, label in enumerate(AGREEMENT_TYPES.values(), start=2):
        lists.cell(row=row, column=1, value=label)
    for row, citation in enumerate(legal_basis_citations, start=2):
        lists.cell(row=row, column=2, value=citation)
    lists.sheet_state = "hidden"

    columns = {name: sheet.cell(row=1, column=index + 1).column_letter for index, name in enumerate(FIELDS)}
    last = MAX_ROWS + 1
    types = DataValidation(type="list", formula1=f"=Lists!$A$2:$A${len(AGREEMENT_TYPES) + 1}", allow_blank=True,
                           errorTitle="Type", error="Choose a type from the list")
    # Several legal bases go in one cell, so a typed list is allowed, with a note rather than a refusal.
    bases = DataValidation(type="list", formula1=f"=Lists!$B$2:$B${len(legal_basis_citations) + 1}", allow_blank=True,
                           errorStyle="information", errorTitle="Legal bases",
                           error="Not one from the list: for several, separate the citations with ;")
    types.add(f"{columns['agreement_type']}2:{columns['agreement_type']}{last}")
    bases.add(f"{columns['legal_bases']}2:{columns['legal_bases']}{last}")
    sheet.add_data_validation(types)
    sheet.add_data_validation(bases)
    for name in DATE_FIELDS:
        for row in range(2, 202):
            sheet[f"{columns[name]}{row}"].number_format = "DD/MM/YYYY"

    instructions = workbook.create_sheet("Instructions", 0)
    for line in INSTRUCTIONS:
        instructions.append([line])
    instructions["A1"].font = Font(bold=True, size=14)
    instructions.column_dimensions["A"].width = 120
    workbook.active = 1  # open on the Agreements sheet

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
