"""An imported record in force is shown as signed outside the registry wherever approvals are shown, never as a person's approval."""

import html
import re

import sqlalchemy as sa

from registry.agreements.models import Agreement
from registry.extensions import db
from registry.imports import services
from registry.imports.reading import Upload

REGISTER = (
    "Reference,Title,Lead organisation,Other organisations,Review date,Date signed\n"
    "WY-ISA-007,Youth offending,Leeds City Council,West Yorkshire Police,31/03/2027,14/03/2024\n"
).encode()


def _text(response) -> str:
    """Return the words of a page's body as a person reads them, without its tags."""
    body = response.get_data(as_text=True).split("<main", 1)[1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", "<main" + body)).split())


def _imported(importer, *, in_force: bool) -> Agreement:
    services.import_agreements(importer, Upload("wy.csv", REGISTER), in_force=in_force)
    db.session.commit()
    return db.session.scalars(sa.select(Agreement)).one()


def test_the_agreement_page_says_where_a_record_in_force_came_from(signed_in_client, importer):
    agreement = _imported(importer, in_force=True)
    page = _text(signed_in_client(importer).get(f"/agreements/{agreement.reference}"))

    assert "signed outside the registry and imported as in force" in page
    assert "nobody is recorded here as approving it" in page
    assert "Signed outside the registry 14 March 2024" in page
    assert "Original reference WY-ISA-007" in page and "Source wy.csv, row 2" in page
    assert "Version 1 In force Not submitted here: imported Signed outside the registry" in page  # no "0 of 2" approvals
    assert "0 of 2" not in page


def test_the_version_and_print_pages_show_no_ones_approval(signed_in_client, importer):
    agreement = _imported(importer, in_force=True)
    client = signed_in_client(importer)
    version = _text(client.get(f"/agreements/{agreement.reference}/versions/1"))
    printed = _text(client.get(f"/agreements/{agreement.reference}/versions/1/print"))

    assert "Approved by Signed outside the registry (imported): no approval recorded here" in version
    assert printed.count("Signed outside the registry") == 2 and "Not approved" not in printed


def test_an_imported_draft_says_it_came_from_a_spreadsheet(signed_in_client, importer):
    agreement = _imported(importer, in_force=False)
    page = _text(signed_in_client(importer).get(f"/agreements/{agreement.reference}"))
    assert "imported from a spreadsheet as a draft to complete" in page and "Source wy.csv, row 2" in page
