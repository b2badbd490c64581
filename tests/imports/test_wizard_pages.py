"""The import wizard's pages: upload, columns, check, import; and the template download."""

import html
import io

import sqlalchemy as sa
from openpyxl import load_workbook

from registry.agreements.models import Agreement
from registry.extensions import db
from tests.conftest import csrf_token_from
from tests.factories import make_user

from .registers import as_xlsx, county_register

REGISTER = (
    "Title,Purpose,Lead Organisation,Other Organisations Involved,Review date\n"
    "MARAC,Domestic abuse risk,Leeds CC,Wakefeild Concil,31/03/2027\n"
    "Troubled families,,Bradford MDC,,1 April 2027\n"
).encode()


def _text(response) -> str:
    """Return a page's HTML as a person reads it: entities decoded, each run of spaces one space."""
    return " ".join(html.unescape(response.get_data(as_text=True)).split())


def _agreements() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Agreement))


def _upload(client, data: bytes, name: str = "register.csv", kind: str = "draft"):
    token = csrf_token_from(client.get("/agreements/import").get_data(as_text=True))
    return client.post("/agreements/import", data={"csrf_token": token, "kind": kind, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _post(client, url: str, data: dict):
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def test_the_wizard_uploads_maps_checks_and_imports(signed_in_client, importer):
    client = signed_in_client(importer)

    assert _upload(client, REGISTER).headers["Location"] == "/agreements/import/columns"
    columns = _text(client.get("/agreements/import/columns"))
    assert '<option value="2" selected>Lead Organisation</option>' in columns
    assert _post(client, "/agreements/import/columns", {"title": "0", "purpose": "1", "lead": "2", "others": "3",
                                                        "review_date": "4"}).status_code == 302
    check = _text(client.get("/agreements/import/check"))
    assert "1 of 2 rows will become drafts" in check
    assert "No authority is called “Wakefeild Concil”: did you mean Wakefield Council (WKF)?" in check
    assert "Which authority is “Wakefeild Concil”?" in check

    refused = _post(client, "/agreements/import/check", {"action": "import"})
    assert refused.status_code == 422 and "Nothing was imported: the file has 1 problem." in _text(refused)
    assert _agreements() == 0

    _post(client, "/agreements/import/check", {"action": "check", "name-1": "Wakefeild Concil", "authority-1": "WKF"})
    assert "2 of 2 rows will become drafts" in _text(client.get("/agreements/import/check"))
    done = _post(client, "/agreements/import/check", {"action": "import"})
    assert done.headers["Location"] == "/agreements"
    assert "2 agreements imported from register.csv as drafts." in _text(client.get("/agreements"))
    assert _agreements() == 2


def test_only_the_good_rows_are_imported_when_the_person_chooses(signed_in_client, importer):
    client = signed_in_client(importer)
    _upload(client, REGISTER)
    _post(client, "/agreements/import/check", {"action": "import", "only_valid": "true"})
    assert _agreements() == 1


def test_a_bad_file_is_refused_on_the_upload_page(signed_in_client, importer):
    client = signed_in_client(importer)
    page = _upload(client, b"%PDF-1.7\x00", "scan.pdf")
    text = _text(page)
    assert page.status_code == 422 and "<title>Error: " in text and "scan.pdf is not a spreadsheet" in text


def test_a_file_larger_than_most_requests_is_taken(signed_in_client, importer):
    # 200 rows padded past the 1 MiB every other form is held to.
    rows = county_register(200)
    for row in rows:
        row.cells[1] = "Purpose " + "x" * 6000
    page = _upload(signed_in_client(importer), as_xlsx(rows), "big.xlsx")
    assert page.status_code == 302


def test_the_columns_page_needs_the_title_and_lead(signed_in_client, importer):
    client = signed_in_client(importer)
    _upload(client, REGISTER)
    page = _post(client, "/agreements/import/columns", {"title": "", "lead": "2"})
    assert page.status_code == 422 and "Choose the column that holds each agreement's title" in _text(page)


def test_the_later_steps_send_back_to_the_upload_when_nothing_is_uploaded(signed_in_client, importer):
    assert signed_in_client(importer).get("/agreements/import/check").headers["Location"] == "/agreements/import"


def test_viewers_cannot_import(signed_in_client, west_yorkshire):
    viewer = make_user(memberships={west_yorkshire["LDS"]: "viewer"})
    assert signed_in_client(viewer).get("/agreements/import").status_code == 403


def test_the_template_has_the_columns_instructions_and_drop_down_lists(signed_in_client, importer):
    response = signed_in_client(importer).get("/agreements/import/template.xlsx")
    workbook = load_workbook(io.BytesIO(response.data))

    assert workbook.sheetnames == ["Instructions", "Agreements", "Lists"]
    sheet = workbook["Agreements"]
    assert [cell.value for cell in sheet[1]][:5] == ["Reference", "Title", "Type", "Purpose", "Lead organisation"]
    formulas = sorted(validation.formula1 for validation in sheet.data_validations.dataValidation)
    assert formulas == ["=Lists!$A$2:$A$4", "=Lists!$B$2:$B$73"]
    assert "UK GDPR Article 6(1)(e)" in [cell.value for cell in workbook["Lists"]["B"]]
    assert "one agreement on each row" in workbook["Instructions"]["A3"].value


def test_the_template_filled_in_imports(signed_in_client, importer):
    response = signed_in_client(importer).get("/agreements/import/template.xlsx")
    workbook = load_workbook(io.BytesIO(response.data))
    workbook["Agreements"].append(["OLD-1", "MARAC", "Joint controller arrangement", "Risk", "Leeds City Council",
                                   "West Yorkshire Police", "UK GDPR Article 6(1)(e)"])
    out = io.BytesIO()
    workbook.save(out)
    client = signed_in_client(importer)
    _upload(client, out.getvalue(), "filled.xlsx")
    check = _text(client.get("/agreements/import/check"))
    assert "1 of 1 rows will become drafts" in check
