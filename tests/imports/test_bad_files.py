"""A file that is not a register we can read is refused with a clear error, and nothing changes."""

import io
import re
import zipfile

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from registry.agreements.models import Agreement
from registry.core.errors import ValidationFailed
from registry.extensions import db
from registry.imports import services
from registry.imports.reading import Upload


def _xlsx(*rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _with_macros(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b"\x00macro")
    return out.getvalue()


REGISTER = ("Title", "Lead organisation"), ("MARAC", "Leeds City Council")
BAD_FILES = {
    "not a spreadsheet": ("scan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00", "is not a spreadsheet"),
    "a zip that is no workbook": ("photos.zip", b"PK\x03\x04" + b"\x00" * 40, "is not a spreadsheet we can read"),
    "macro-enabled by name": ("register.xlsm", _xlsx(*REGISTER), "macro-enabled"),
    "macros inside": ("register.xlsx", _with_macros(_xlsx(*REGISTER)), "contains macros"),
    "password protected": ("register.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "password protected"),
    "over 5 MB": ("register.csv", b"Title,Lead organisation\n" + b"x,Leeds\n" * 800_000, "larger than 5 MB"),
    "over 5,000 rows": ("register.csv", b"Title,Lead organisation\n" + b"x,Leeds\n" * 5001, "has 5,001 rows"),
    "empty": ("register.csv", b"", "The file is empty"),
    "only blank rows": ("register.xlsx", _xlsx(("", ""), (None, " ")), "The file has no rows"),
    "a header and nothing under it": ("register.csv", b"Title,Lead organisation\n", "no agreements under it"),
    "no header row": ("register.csv", b"MARAC,Leeds City Council\nYOT,Bradford\n", "first row is not a header row"),
}


@pytest.mark.parametrize("name,data,said", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_is_refused_saying_why_and_nothing_changes(importer, name, data, said):
    with pytest.raises(ValidationFailed) as refused:
        services.import_agreements(importer, Upload(name, data))
    db.session.rollback()

    assert said in refused.value.fields["file"][0]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Agreement)) == 0


def _with_cached_formula(data: bytes) -> bytes:
    """Give the title cell a formula with the value Excel saved for it (openpyxl saves formulas without values)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb'<c r="A2"[^>]*>.*?</c>',
                                 b'<c r="A2" t="str"><f>UPPER("marac")&amp;" protocol"</f><v>MARAC protocol</v></c>', content)
            target.writestr(item, content)
    return out.getvalue()


def test_a_formula_is_read_as_the_value_the_spreadsheet_saved_never_run(importer):
    data = _with_cached_formula(_xlsx(*REGISTER))
    plan = services.check_import(importer, Upload("register.xlsx", data))
    assert plan.rows[0].values["title"] == "MARAC protocol"


def test_a_file_name_is_kept_without_its_folders(importer):
    assert Upload("C:\\Users\\ig\\Desktop\\register.csv", b"").file_name == "register.csv"


def _ods(*rows) -> bytes:
    """Return a minimal OpenDocument spreadsheet, as LibreOffice saves one, of text cells."""
    cells = "".join(
        "<table:table-row>" + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>' for value in row
        ) + "</table:table-row>"
        for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Register">{cells}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return out.getvalue()


def test_an_ods_register_is_read_too(importer):
    plan = services.check_import(importer, Upload("register.ods", _ods(*REGISTER)))
    assert (plan.rows[0].values["title"], plan.rows[0].lead.code) == ("MARAC", "LDS")
