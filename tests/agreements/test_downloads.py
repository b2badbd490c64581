"""The agreements list as CSV and Excel: the rows the list shows with its filters, and no cell a spreadsheet would run."""

import csv
import io

import pytest
from openpyxl import load_workbook

from registry.agreements import drafting
from registry.extensions import db

from .builders import agreement_in, complete_draft


def _sheet_rows(response) -> list[dict]:
    sheet = load_workbook(io.BytesIO(response.get_data()), read_only=True).active
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row)) for row in rows]


def _csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_the_excel_download_has_a_row_per_agreement_with_what_the_list_shows(councils, signed_in_client):
    active = agreement_in("active", councils)

    response = signed_in_client(councils["LDS"].viewer).get("/agreements/download.xlsx")

    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="agreements-' in response.headers["Content-Disposition"]
    [row] = _sheet_rows(response)
    version = active.current_version
    assert row["reference"] == active.reference
    assert row["title"] == "Supporting families"
    assert row["type"] == "Reciprocal information sharing agreement"
    assert row["status"] == "Active"
    assert row["lead_authority"] == councils["LDS"].authority.name
    assert row["parties"] == "BRD KIR LDS"
    assert row["review_due"].date() == active.review_due
    assert row["version"] == 1
    assert row["content_sha256"] == version.content_hash


def test_the_csv_download_keeps_the_lists_filters(councils, signed_in_client):
    active = agreement_in("active", councils)
    draft = complete_draft(councils, partners=("BRD",))

    client = signed_in_client(councils["LDS"].viewer)
    everything = _csv_rows(client.get("/agreements/download.csv"))
    only_active = _csv_rows(client.get("/agreements/download.csv?status=active"))
    with_kirklees = _csv_rows(client.get("/agreements/download.csv?party=kir"))

    assert {row["reference"] for row in everything} == {active.reference, draft.reference}
    assert [row["reference"] for row in only_active] == [active.reference]
    assert [row["reference"] for row in with_kirklees] == [active.reference]


def test_the_download_follows_the_lists_order(councils, signed_in_client):
    first, second = complete_draft(councils), complete_draft(councils)

    rows = _csv_rows(signed_in_client(councils["LDS"].viewer).get("/agreements/download.csv?sort=-reference"))

    assert [row["reference"] for row in rows] == sorted([first.reference, second.reference], reverse=True)


def test_a_download_shows_only_agreements_the_person_may_see(councils, signed_in_client):
    complete_draft(councils, partners=("BRD",))

    rows = _csv_rows(signed_in_client(councils["KIR"].viewer).get("/agreements/download.csv"))

    assert rows == []


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
@pytest.mark.parametrize("title", ['=HYPERLINK("http://example.invalid","x")', "+1", "-1+2", "@SUM(A1)", "\tTab", "\rReturn"])
def test_text_a_spreadsheet_would_run_as_a_formula_is_kept_as_text(councils, signed_in_client, extension, title):
    agreement = complete_draft(councils)
    # Set directly: the forms trim spaces, but text from elsewhere (an import, the API of old) need not be.
    agreement.latest_version.title = title
    db.session.commit()

    response = signed_in_client(councils["LDS"].viewer).get(f"/agreements/download.{extension}")

    [row] = _sheet_rows(response) if extension == "xlsx" else _csv_rows(response)
    # XML reads a carriage return back as a line feed; what matters is the apostrophe before it.
    assert row["title"] in ("'" + title, "'" + title.replace("\r", "\n"))


def test_the_excel_download_stores_neutralised_text_as_text_not_as_a_formula(councils, signed_in_client):
    agreement = complete_draft(councils)
    drafting.update_section(councils["LDS"].contributor, agreement, "details", {"title": "=1+1", "agreement_type": "disclosure"})
    db.session.commit()

    content = signed_in_client(councils["LDS"].viewer).get("/agreements/download.xlsx").get_data()

    sheet = load_workbook(io.BytesIO(content)).active
    title_cell = sheet.cell(row=2, column=2)
    assert (title_cell.value, title_cell.data_type) == ("'=1+1", "s")


def test_a_download_with_a_filter_in_error_goes_back_to_the_list_to_show_it(councils, signed_in_client):
    response = signed_in_client(councils["LDS"].viewer).get("/agreements/download.csv?status=nonsense")

    assert response.status_code == 302
    assert response.headers["Location"] == "/agreements?status=nonsense"


def test_the_list_links_to_its_downloads_with_its_filters(councils, signed_in_client):
    agreement_in("active", councils)

    html = signed_in_client(councils["LDS"].viewer).get("/agreements?status=active&page=1").get_data(as_text=True)

    assert 'href="/agreements/download.csv?status=active"' in html
    assert 'href="/agreements/download.xlsx?status=active"' in html


def test_downloads_need_signing_in(client):
    assert client.get("/agreements/download.csv").status_code == 302
