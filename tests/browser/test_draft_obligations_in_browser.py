"""Drafting obligations in Chromium: the form's errors, adding one, and the register question; axe-core on each state."""

import re

import pytest
from playwright.sync_api import expect

from tests.agreements.builders import complete_draft, three_councils
from tests.factories import TEST_PASSWORD

from .conftest import assert_accessible, press_and_expect_errors, sign_in_through_form

pytestmark = pytest.mark.browser


def test_a_contributor_adds_an_obligation_and_withholds_the_agreement_from_the_register(page):
    councils = three_councils()
    agreement = complete_draft(councils)
    sign_in_through_form(page, councils["BRD"].contributor.email, TEST_PASSWORD)
    page.wait_for_url("**/dashboard")

    page.goto(f"/agreements/{agreement.reference}/draft")
    expect(page.get_by_role("heading", name="What each party owes")).to_be_visible()
    page.get_by_role("button", name="Add an obligation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Add an obligation")
    assert_accessible(page, "(new obligation)")

    page.get_by_role("group", name="Who owes it?").get_by_role("radio", name="Bradford Council").check()
    page.get_by_role("radio", name="Retention and deletion").check()
    page.get_by_role("radio", name="Every so many months").check()
    page.get_by_label("Falls due again every").fill("every year")
    page.get_by_role("button", name="Save and return to the draft").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the number of months as a whole number, like 12")
    expect(summary).to_contain_text("Describe what is owed")
    assert_accessible(page, "(new obligation, errors)")

    page.get_by_label("What is owed").fill("Delete the shared records each year once no longer needed.")
    page.get_by_label("Falls due again every").fill("12")
    page.get_by_role("textbox", name="Day").fill("31")
    page.get_by_role("textbox", name="Month").fill("3")
    page.get_by_role("textbox", name="Year").fill("2027")
    page.get_by_role("button", name="Save and return to the draft").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The obligation has been added")
    expect(page.get_by_role("table", name="Obligations in the draft")).to_contain_text("Every 12 months from 31 March 2027")
    assert_accessible(page, "(task list with obligations)")

    page.get_by_role("link", name="Title and type").click()
    page.get_by_role("radio", name="No, withhold it").check()
    press_and_expect_errors(page, "Save and return to the draft", "Say why the agreement must be kept out of the public register", "(details, errors)")
    page.get_by_label("Why must it be withheld? (only if withheld)").fill("It would reveal where refuges are.")
    page.get_by_role("button", name="Save and return to the draft").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Title and type saved")
