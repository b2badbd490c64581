"""Signing in through the real form in Chromium, with every page checked by axe-core."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, make_authority, make_user

from .conftest import assert_accessible, sign_in_through_form, sign_in_to_the_dashboard

pytestmark = pytest.mark.browser


def test_sign_in_page_is_accessible_empty_and_with_errors(page):
    page.goto("/sign-in")
    assert_accessible(page, "(empty)")

    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "(with errors)")


def test_approver_signs_in_and_lands_on_a_dashboard_naming_their_authority(page):
    leeds = make_authority(code="LDS", name="Leeds City Council")
    approver = make_user(email="approver@leeds.example.org", memberships={leeds: "approver"})

    sign_in_through_form(page, approver.email, TEST_PASSWORD)

    page.wait_for_url("**/dashboard")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Leeds City Council")
    assert_accessible(page, "(dashboard)")


def test_wrong_password_shows_the_error_summary_in_the_browser(page):
    make_user(email="someone@example.org")

    sign_in_through_form(page, "someone@example.org", "not-the-right-passphrase")

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a correct email address and password")
    # GOV.UK Frontend moves focus to the summary so screen readers announce it.
    expect(summary).to_be_focused()
    assert_accessible(page, "(wrong password)")


def test_signing_out_ends_the_session(page):
    sign_in_to_the_dashboard(page, make_user())

    page.get_by_role("button", name="Sign out").click()

    page.wait_for_url("**/sign-in")
    page.goto("/dashboard")
    assert "/sign-in" in page.url
