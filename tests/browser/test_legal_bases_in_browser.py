"""People read the legal vocabulary and an administrator adds a gateway in Chromium; axe-core finds no violations."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, load_legal_vocabulary, make_user

from .conftest import assert_accessible, sign_in_through_form

pytestmark = pytest.mark.browser


@pytest.fixture
def vocabulary(app):
    """Load the bundled legal vocabulary."""
    load_legal_vocabulary()


def test_viewer_searches_the_list_and_reads_a_condition(page, vocabulary):
    viewer = make_user()
    sign_in_through_form(page, viewer.email, TEST_PASSWORD)
    page.wait_for_url("**/dashboard")

    page.get_by_role("link", name="Legal bases").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Legal bases")
    expect(page.get_by_role("status")).to_have_text("72 legal bases")
    assert_accessible(page, "(list)")

    page.get_by_label("Search", exact=True).fill("safeguarding children")
    page.get_by_label("Kind", exact=True).select_option("schedule1")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("status")).to_have_text("1 legal basis")
    page.get_by_role("link", name="Data Protection Act 2018, Schedule 1, Part 2, paragraph 18").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Safeguarding of children and of individuals at risk")
    expect(page.get_by_role("link", name="Data Protection Act 2018, Schedule 1, Part 2, paragraph 18", exact=True)).to_have_attribute(
        "href", "https://www.legislation.gov.uk/ukpga/2018/12/schedule/1/paragraph/18"
    )
    assert_accessible(page, "(detail)")


def test_admin_adds_a_gateway_after_correcting_the_form(page, vocabulary):
    admin = make_user(system_role="admin")
    sign_in_through_form(page, admin.email, TEST_PASSWORD)
    page.wait_for_url("**/dashboard")

    page.goto("/legal-bases")
    page.get_by_role("button", name="Add a legal basis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a legal basis")
    assert_accessible(page, "(new, empty)")

    page.get_by_role("button", name="Add legal basis").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page, "(new, errors)")

    page.get_by_role("radio", name="Statutory power or gateway").check()
    page.get_by_role("radio", name="Mandatory").check()
    page.get_by_label("Code", exact=True).fill("GW-HRA2017-S10")
    page.get_by_label("Citation", exact=True).fill("Homelessness Reduction Act 2017, section 10")
    page.get_by_label("Title", exact=True).fill("Homelessness Reduction Act 2017, section 10")
    page.get_by_label("Summary", exact=True).fill("Specified public authorities must refer people who may be homeless.")
    page.get_by_label("Address on legislation.gov.uk").fill("https://www.legislation.gov.uk/ukpga/2017/13/section/10")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("9")
    page.get_by_label("Year").fill("2018")
    assert_accessible(page, "(new, filled in)")
    page.get_by_role("button", name="Add legal basis").click()

    summary_link = page.locator(".govuk-error-summary").get_by_role("link", name="The date it came into force must be a real date")
    expect(summary_link).to_be_visible()
    assert_accessible(page, "(new, date error)")
    summary_link.click()
    expect(page.get_by_label("Day")).to_be_focused()

    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("10")
    page.get_by_role("button", name="Add legal basis").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Homelessness Reduction Act 2017, section 10 has been added")
    expect(page.get_by_text("It imposes a duty: the notes say what the duty is.")).to_be_visible()
    assert_accessible(page, "(detail, added)")
