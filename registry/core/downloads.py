"""CSV and XLSX downloads that spreadsheets open safely: one neutralising rule, two writers."""

import csv
import io
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from flask import Response, request
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from werkzeug.wsgi import wrap_file

# A cell starting with one of these is run as a formula by Excel and LibreOffice (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Past this an XLSX being written spills from memory to a temporary file.
IN_MEMORY_UP_TO = 8 * 1024 * 1024


def neutralised(text: str) -> str:
    """Return text with a leading apostrophe if a spreadsheet would run it as a formula."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def safe_cell(value) -> str:
    """Return a value as CSV text, with a leading apostrophe on text a spreadsheet would run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return neutralised(text) if isinstance(value, str) else text


def xlsx_cell(value):
    """Return a value as an XLSX cell value: numbers and dates stay typed, text is neutralised.

    openpyxl writes any text starting with "=" as a formula, so the apostrophe is what keeps
    it text both in the file and when someone saves the sheet as CSV later.
    """
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        # Excel has no time zones: write the moment as UTC text, unambiguous.
        return value.isoformat()
    if isinstance(value, date):
        return value
    return neutralised(str(value))


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """Return a header and rows as CSV text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue()


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    """Return a CSV download (RFC 4180: CRLF line ends, with a header row)."""
    return Response(csv_text(header, rows), mimetype="text/csv", headers=_attachment(filename))


def write_xlsx(file, sheet_title: str, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Write a header and rows to a binary file as one XLSX sheet, a row at a time (openpyxl's write-only mode)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    heading = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=neutralised(str(name)))
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        sheet.append([xlsx_cell(value) for value in row])
    workbook.save(file)


def xlsx_response(filename: str, sheet_title: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    """Return an XLSX download of one sheet, written to a file that spills to disk when large."""
    spool = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_UP_TO)
    try:
        write_xlsx(spool, sheet_title, header, rows)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return Response(wrap_file(request.environ, spool), mimetype=XLSX_MIMETYPE, headers=_attachment(filename), direct_passthrough=True)


def table_download(extension: str, name: str, sheet_title: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    """Return a table as a CSV or XLSX download named name.extension."""
    if extension == "xlsx":
        return xlsx_response(f"{name}.xlsx", sheet_title, header, rows)
    return csv_response(f"{name}.csv", header, rows)
