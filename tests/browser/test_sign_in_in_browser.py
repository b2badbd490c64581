"""Signing in through the real form in Chromium, with every page checked by axe-core."""

import pytest

from tests.factories import TEST_PASSWORD, make_authority, make_user

from .conftest import assert_accessible, sign_in_through_form

pytestmark = pytest.mark.browser


def test_sign_in_page_is_accessible_empty_and_with_errors(page):
    page.goto("/sign-in")
    assert_accessible(page, "(empty)")

    page.get_by_role("button", name="Sign in").click()
    assert page.title().startswith("Error: ")
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page, "(with errors)")


def test_approver_signs_in_and_lands_on_a_dashboard_naming_their_authority(page):
    leeds = make_authority(code="LDS", name="Leeds City Council")
    approver = make_user(email="approver@leeds.example.org", memberships={leeds: "approver"})

    sign_in_through_form(page, approver.email, TEST_PASSWORD)

    page.wait_for_url("**/dashboard")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Leeds City Council")
    assert_accessible(page, "(dashboard)")


def test_wrong_password_shows_the_error_summary_in_the_browser(page):
    make_user(email="someone@example.org")

    sign_in_through_form(page, "someone@example.org", "not-the-right-passphrase")

    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Enter a correct email address and password" in summary.inner_text()
    # GOV.UK Frontend moves focus to the summary so screen readers announce it.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    assert_accessible(page, "(wrong password)")


def test_signing_out_ends_the_session(page):
    user = make_user()
    sign_in_through_form(page, user.email, TEST_PASSWORD)
    page.wait_for_url("**/dashboard")

    page.get_by_role("button", name="Sign out").click()

    page.wait_for_url("**/sign-in")
    page.goto("/dashboard")
    assert "/sign-in" in page.url
