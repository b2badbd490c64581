"""An approver imports a county register through the wizard in Chromium: upload, columns, check, import; axe-core finds no violations."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from registry.agreements.models import Agreement
from registry.extensions import db
from tests.factories import load_legal_vocabulary, make_authority, make_user

from .conftest import assert_accessible, sign_in_to_the_dashboard

pytestmark = pytest.mark.browser

REGISTER = (
    "Title,Purpose,Lead Organisation,Other Organisations Involved,Review date\n"
    "MARAC,Domestic abuse risk,Leeds CC,Wakefeild Concil,31/03/2027\n"
    "Troubled families,,Leeds City Council,,1 April 2027\n"
).encode()


@pytest.fixture
def importer(app):
    load_legal_vocabulary()
    leeds = make_authority(code="LDS", name="Leeds City Council", short_name="Leeds", type="MD")
    make_authority(code="WKF", name="Wakefield Council", short_name="Wakefield", type="MD")
    return make_user(memberships={leeds: "approver"})


def test_an_approver_walks_the_wizard_choosing_the_authority_for_a_misspelt_name(page, importer):
    sign_in_to_the_dashboard(page, importer)
    page.goto("/agreements")
    page.get_by_role("link", name="Import agreements from a spreadsheet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import agreements from a spreadsheet")
    assert_accessible(page, "(upload, empty)")

    page.get_by_role("button", name="Upload and continue").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the register to upload")
    assert_accessible(page, "(upload, errors)")

    page.get_by_label("Register file").set_input_files(
        files=[{"name": "county-register.csv", "mimeType": "text/csv", "buffer": REGISTER}])
    page.get_by_role("radio", name="Drafts to complete").check()
    page.get_by_role("button", name="Upload and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Say which column holds what")
    expect(page.get_by_label("Lead organisation", exact=True)).to_have_value("2")
    assert_accessible(page, "(columns)")

    page.get_by_role("button", name="Check the rows").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the rows")
    expect(page.locator("#summary")).to_contain_text("1 of 2 rows will become drafts")
    expect(page.locator("#rows")).to_contain_text("No authority is called “Wakefeild Concil”: did you mean Wakefield Council (WKF)?")
    assert_accessible(page, "(check, with a problem)")

    page.get_by_label("Which authority is “Wakefeild Concil”?").select_option("WKF")
    page.get_by_role("button", name="Check again").click()
    expect(page.locator("#summary")).to_contain_text("2 of 2 rows will become drafts")
    expect(page.locator("#rows")).to_contain_text("“Leeds CC” read as Leeds City Council")

    page.get_by_role("button", name="Import 2 agreements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agreements")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2 agreements imported from county-register.csv as drafts.")
    assert_accessible(page, "(imported)")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Agreement)) == 2


def test_a_problem_row_blocks_the_import_until_only_good_rows_are_chosen(page, importer):
    sign_in_to_the_dashboard(page, importer)
    page.goto("/agreements/import")
    page.get_by_label("Register file").set_input_files(
        files=[{"name": "county-register.csv", "mimeType": "text/csv", "buffer": REGISTER}])
    page.get_by_role("button", name="Upload and continue").click()
    page.get_by_role("button", name="Check the rows").click()

    page.get_by_role("button", name="Import 1 agreement").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Nothing was imported: the file has 1 problem.")
    assert_accessible(page, "(check, refused)")

    page.get_by_role("checkbox", name="Import only the row with no problem, and leave the others out").check()
    page.get_by_role("button", name="Import 1 agreement").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 agreement imported from county-register.csv as drafts; 1 row with problems left out.")
