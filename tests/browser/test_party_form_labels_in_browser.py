"""On the party form, clicking a legal basis's label ticks that basis and no other, and that basis is saved."""

import pytest
import sqlalchemy as sa

from registry.agreements import drafting
from registry.extensions import db
from registry.legal.models import LegalBasis
from tests.agreements.builders import three_councils
from tests.factories import TEST_PASSWORD

from .conftest import assert_accessible, sign_in_through_form

pytestmark = pytest.mark.browser

CHECKED = "() => [...document.querySelectorAll('input[name=legal_bases]:checked')].map((box) => box.value)"


def _label_text(basis: LegalBasis) -> str:
    """Return a basis's label as it reads on the page: a power's ends with its tag, Duty or Power."""
    if basis.kind == "gateway":
        return basis.citation + (" Duty" if basis.mandatory else " Power")
    return f"{basis.citation}: {basis.title}"


def test_each_legal_basis_label_ticks_its_own_box_and_that_basis_is_saved(page):
    councils = three_councils()
    leeds, bradford = councils["LDS"], councils["BRD"]
    agreement = drafting.create_agreement(leeds.contributor, leeds.authority, title="Early help", agreement_type="information_sharing")
    db.session.commit()
    code_by_label = {_label_text(b): b.code for b in db.session.scalars(sa.select(LegalBasis))}
    assert len(code_by_label) == 72  # every basis has its own words, or the check below could not tell them apart

    sign_in_through_form(page, leeds.contributor.email, TEST_PASSWORD)
    page.wait_for_url("**/dashboard")
    page.goto(f"/agreements/{agreement.reference}/draft/parties/new")
    assert_accessible(page, "(new party)")
    labels = page.locator("label.govuk-checkboxes__label")
    assert labels.count() == len(code_by_label)
    wrong = []
    for number in range(labels.count()):
        label = labels.nth(number)
        expected = code_by_label[label.inner_text().strip()]
        label.click()
        ticked = page.evaluate(CHECKED)
        if ticked != [expected]:
            wrong.append((expected, ticked))
        label.click()  # untick it again
        assert page.evaluate(CHECKED) == [], f"clicking the label of {expected} twice left {page.evaluate(CHECKED)} ticked"
    assert wrong == []

    chosen = ["UKGDPR-A6-1-E", "UKGDPR-A10", "DPA2018-S1-P18"]
    for code in chosen:
        basis = db.session.scalar(sa.select(LegalBasis).where(LegalBasis.code == code))
        page.locator("label.govuk-checkboxes__label", has_text=_label_text(basis)).first.click()
    page.locator("#authority_code").fill("BRD")
    with page.expect_navigation():  # the page the form posts to, not the form still showing
        page.get_by_role("button", name="Save and return to the draft").click()
    db.session.expire_all()
    party = agreement.latest_version.party_for(bradford.authority)
    assert party is not None
    assert sorted(b.code for b in party.legal_bases) == sorted(chosen)
