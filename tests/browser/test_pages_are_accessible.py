"""axe-core finds no WCAG 2.2 A or AA violation on the foundation's pages, in every state."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import every_uk_council, make_user

from .conftest import (assert_accessible, press_and_expect_errors,
                       sign_in_to_the_dashboard, visit)

pytestmark = pytest.mark.browser


@pytest.fixture
def councils(app):
    every_uk_council()


def test_authorities_list_search_and_detail(page, councils):
    sign_in_to_the_dashboard(page, make_user())

    page.get_by_role("link", name="Authorities").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Authorities")
    assert_accessible(page, "(list)")

    page.get_by_label("Search by name or code").fill("E06000001")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name="Hartlepool Borough Council").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hartlepool Borough Council")
    assert_accessible(page, "(detail)")

    page.goto("/authorities?type=CASTLE")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "(filter error)")


def test_user_admin_pages(page, councils):
    admin = make_user(system_role="admin")
    person = make_user(name="Pat Person")
    sign_in_to_the_dashboard(page, admin)

    page.goto("/users")
    assert_accessible(page, "(user list)")

    page.goto("/users/new")
    assert_accessible(page, "(new user, empty)")
    page.get_by_role("button", name="Create user").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page, "(new user, errors)")

    page.goto(f"/users/{person.id}")
    assert_accessible(page, "(user detail)")
    page.get_by_label("Authority", exact=True).fill("hartle")
    page.get_by_role("option", name="Hartlepool Borough Council").click()
    page.get_by_role("radio", name="Approver").check()
    page.get_by_role("button", name="Give role").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Pat Person is now approver for Hartlepool Borough Council")
    assert_accessible(page, "(user detail, role given)")

    press_and_expect_errors(page, "Give role", None, "(user detail, errors)")

    page.goto("/authorities/new-partner")
    page.get_by_role("button", name="Add partner body").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "(new partner, errors)")


def test_account_and_token_pages(page):
    sign_in_to_the_dashboard(page, make_user())

    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    assert_accessible(page, "(account)")
    page.get_by_label("Name for a new token").fill("my script")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#api-token")).to_have_text(re.compile(r"^dsr_"))
    assert_accessible(page, "(token created)")


def test_error_pages(page):
    sign_in_to_the_dashboard(page, make_user())
    visit(page, "/authorities/NOPE", "Page not found", "(404)")
    visit(page, "/users", "You do not have permission to see this page", "(403)")
