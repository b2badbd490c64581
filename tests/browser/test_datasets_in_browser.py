"""A contributor adds a dataset and a special category item in Chromium; axe-core finds no violations."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, make_authority, make_user

from .conftest import assert_accessible, press_and_expect_errors, sign_in_through_form

pytestmark = pytest.mark.browser


def test_contributor_adds_a_dataset_with_a_special_category_item(page):
    leeds = make_authority(code="LDS", name="Leeds City Council")
    contributor = make_user(memberships={leeds: "contributor"})
    sign_in_through_form(page, contributor.email, TEST_PASSWORD)
    page.wait_for_url("**/dashboard")

    page.get_by_role("link", name="Datasets").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Datasets")
    assert_accessible(page, "(list, empty)")

    page.get_by_role("button", name="Add a dataset").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a dataset")
    expect(page.get_by_role("radio", name="Leeds City Council")).to_be_checked()
    assert_accessible(page, "(new, empty)")

    page.get_by_role("button", name="Add dataset").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name of the dataset")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page, "(new, with errors)")

    page.get_by_label("Name", exact=True).fill("Adult social care case records")
    page.get_by_label("Description (optional)").fill("Assessments, care plans and reviews")
    page.get_by_role("radio", name="OFFICIAL-SENSITIVE").check()
    page.get_by_role("button", name="Add dataset").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Adult social care case records")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Adult social care case records has been added")
    assert_accessible(page, "(detail, no items)")

    page.get_by_role("button", name="Add a data item").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a data item")
    assert_accessible(page, "(new item, empty)")
    page.get_by_label("Name of the data item").fill("Health condition")
    page.get_by_role("checkbox", name="Special category data").check()
    page.get_by_role("button", name="Add data item").click()

    row = page.get_by_role("row", name=re.compile("Health condition"))
    expect(row).to_contain_text("Yes")
    expect(row).to_contain_text("Special category")
    assert_accessible(page, "(detail, with an item)")

    page.get_by_role("button", name="Change details").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change Adult social care case records")
    assert_accessible(page, "(edit)")
    page.get_by_label("Name", exact=True).fill("")
    press_and_expect_errors(page, "Save changes", None, "(edit, with errors)")

    page.get_by_role("link", name="Datasets").click()
    page.get_by_role("checkbox", name="Only datasets with special category data").check()
    page.get_by_role("button", name="Apply filters").click()
    dataset_row = page.get_by_role("row", name=re.compile("Adult social care case records"))
    expect(dataset_row).to_contain_text("Special category")
    expect(dataset_row).to_contain_text("OFFICIAL-SENSITIVE")
    assert_accessible(page, "(list, filtered)")
