"""An auditor reads the log and an entry in Chromium; axe-core finds no violations."""

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, make_authority, make_user

from .conftest import assert_accessible, sign_in_through_form

pytestmark = pytest.mark.browser


def test_auditor_reads_the_log_and_an_entry(page):
    council = make_authority(code="LDS", name="Leeds City Council")
    make_user(memberships={council: "approver"})
    auditor = make_user(system_role="auditor")
    sign_in_through_form(page, auditor.email, TEST_PASSWORD)
    page.wait_for_url("**/dashboard")

    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    assert_accessible(page, "(log)")

    page.get_by_text("Current checkpoint and keys").click()
    assert_accessible(page, "(checkpoint details open)")

    page.get_by_label("Authority", exact=True).select_option(label="Leeds City Council")
    page.get_by_role("button", name="Apply filters").click()
    page.locator("tbody a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Role given")
    assert_accessible(page, "(entry)")

    page.goto("/audit?since-day=31&since-month=2&since-year=2026")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "(filter errors)")


def test_auditor_sees_the_witnesses_and_an_administrator_is_warned_when_the_quorum_waits(app, page, tmp_path, browser, live_server):
    from registry.auditlog import cosigning
    from tests.audit.witnesses import running_witnesses

    with running_witnesses(app, tmp_path) as witnesses:
        auditor = make_user(system_role="auditor")
        cosigning.ask_witnesses()
        witnesses["bradford-witness"].stop()
        admin = make_user(system_role="admin")  # a change no quorum cosigns: Bradford is down
        cosigning.ask_witnesses()
        app.config["AUDIT_QUORUM_WARNING_MINUTES"] = 0

        sign_in_through_form(page, auditor.email, TEST_PASSWORD)
        page.wait_for_url("**/dashboard")
        page.goto("/audit")
        expect(page.get_by_role("heading", name="Witnesses")).to_be_visible()
        expect(page.get_by_text("Quorum not met")).to_be_visible()
        assert_accessible(page, "(witnesses, one down)")

        admin_page = browser.new_context(base_url=live_server).new_page()
        sign_in_through_form(admin_page, admin.email, TEST_PASSWORD)
        admin_page.wait_for_url("**/dashboard")
        expect(admin_page.locator("#quorum-warning")).to_contain_text("bradford-witness")
        assert_accessible(admin_page, "(dashboard, quorum warning)")
        admin_page.context.close()
