"""Reading an uploaded register (CSV, XLSX or ODS) into a header and rows of cell values, refusing what is not one.

A refused file raises ValidationFailed on the `file` field with a message saying what to do;
nothing is read further and nothing is written.
"""

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

import python_calamine

from registry.core.errors import ValidationFailed

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000

SPREADSHEETS = "Upload a CSV, XLSX or ODS file"
_ZIP = b"PK\x03\x04"
# Old Excel files and password-protected XLSX are both OLE compound documents.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MACRO_SUFFIXES = {".xlsm", ".xltm", ".xlsb", ".xlam", ".xls"}


@dataclass
class Upload:
    """A file as it was uploaded: its name, bytes and SHA-256, which identify its rows for good."""

    file_name: str
    data: bytes
    sha256: str = field(init=False)

    def __post_init__(self) -> None:
        self.file_name = PurePath(self.file_name.replace("\\", "/")).name or "upload"
        self.sha256 = hashlib.sha256(self.data).hexdigest()


@dataclass
class Table:
    """The header row's texts and the rows after it, with each row's number as the spreadsheet shows it."""

    headers: list[str]
    rows: list[tuple[int, list]]


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed.single("file", message)


def read(upload: Upload, is_header_row=lambda row: True) -> Table:
    """Return the upload's header and rows, or refuse a file that is not a register we can read.

    Of a workbook's visible sheets, the first whose first row is_header_row() is read.
    """
    data = upload.data
    if not data.strip():
        raise _refuse("The file is empty: upload the register with a header row and at least one agreement")
    if len(data) > MAX_BYTES:
        raise _refuse("The file is larger than 5 MB: split the register into smaller files")
    suffix = PurePath(upload.file_name).suffix.lower()
    if suffix in _MACRO_SUFFIXES:
        raise _refuse(f"{upload.file_name} is a macro-enabled or old Excel file: save it as .xlsx (Excel Workbook) or .csv and upload that")
    if data.startswith(_OLE):
        raise _refuse(f"{upload.file_name} is password protected or an old Excel file: remove the password, save it as .xlsx and upload that")
    if data.startswith(_ZIP):
        cells = _workbook_cells(upload, is_header_row)
    else:
        cells = _csv_cells(upload)
    return _table(cells)


def _workbook_cells(upload: Upload, is_header_row) -> list[list]:
    try:
        with zipfile.ZipFile(io.BytesIO(upload.data)) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        raise _refuse(f"{upload.file_name} is not a spreadsheet we can read: {SPREADSHEETS}") from None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise _refuse(f"{upload.file_name} contains macros: save it as .xlsx (Excel Workbook) without macros and upload that")
    if "xl/workbook.xml" not in names and "content.xml" not in names:
        raise _refuse(f"{upload.file_name} is not a spreadsheet we can read: {SPREADSHEETS}")
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(upload.data))
        # Formulas are never evaluated: calamine gives the value the spreadsheet last saved.
        sheets = [workbook.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
                  for sheet in workbook.sheets_metadata if sheet.visible == python_calamine.SheetVisibleEnum.Visible]
    except python_calamine.PasswordError:
        raise _refuse(f"{upload.file_name} is password protected: remove the password and upload it again") from None
    except Exception:  # calamine's errors name nothing a person can act on
        raise _refuse(f"{upload.file_name} could not be read as a spreadsheet: open it, save it as .xlsx and try again") from None
    # The register is the first sheet with a header row we know (the template opens with its instructions).
    return next((cells for cells in sheets if is_header_row(_first_row(cells))), sheets[0] if sheets else [])


def _first_row(cells: list[list]) -> list:
    return next((row for row in cells if not all(_blank(c) for c in row)), [])


def _csv_cells(upload: Upload) -> list[list]:
    if b"\x00" in upload.data[:4096]:
        raise _refuse(f"{upload.file_name} is not a spreadsheet: {SPREADSHEETS}")
    try:
        text = upload.data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the Windows code page unless told UTF-8.
        text = upload.data.decode("cp1252", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text, newline=""), dialect))


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _table(cells: list[list]) -> Table:
    numbered = [(number, row) for number, row in enumerate(cells, start=1) if not all(_blank(c) for c in row)]
    if not numbered:
        raise _refuse("The file has no rows: upload the register with a header row and at least one agreement")
    header_number, header = numbered[0]
    headers = [str(cell).strip() if not _blank(cell) else "" for cell in header]
    rows = numbered[1:]
    if len(rows) > MAX_ROWS:
        raise _refuse(f"The file has {len(rows):,} rows: import at most {MAX_ROWS:,} at a time")
    if not rows:
        raise _refuse("The file has a header row but no agreements under it")
    width = len(headers)
    return Table(headers, [(number, list(row[:width]) + [""] * (width - len(row))) for number, row in rows])
