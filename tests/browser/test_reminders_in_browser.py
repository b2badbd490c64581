"""Reminders end to end: the command delivers each once to a local SMTP server; the pages pass axe-core in Chromium."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.agreements.builders import three_councils
from tests.factories import TEST_PASSWORD, make_user
from tests.reminders import active_agreement

from .conftest import assert_accessible, sign_in_through_form

pytestmark = pytest.mark.browser


def test_reminders_go_once_and_their_pages_are_accessible(app, runner, page, smtp_server):
    councils = three_councils()
    agreement = active_agreement(councils)
    app.config["TODAY"] = (agreement.review_due - timedelta(days=30)).isoformat()

    first = runner.invoke(args=["reminders", "send"])
    second = runner.invoke(args=["reminders", "send"])
    assert first.exit_code == 0 and "6 written, 6 sent, 0 failed" in first.output
    assert second.exit_code == 0 and "0 written, 0 sent, 0 failed" in second.output
    assert len(smtp_server.messages) == 6
    approver = councils["KIR"].approver
    [theirs] = [m.email for m in smtp_server.messages if m.envelope.rcpt_tos == [approver.email]]
    assert agreement.reference in theirs["Subject"] and agreement.reference in theirs.get_content()

    # The approver looks at their reminders and turns obligations off.
    sign_in_through_form(page, approver.email, TEST_PASSWORD)
    page.wait_for_url("**/dashboard")
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="Choose which email reminders you get").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Email reminders")
    expect(page.get_by_role("group", name="Which reminders do you want to get?")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Obligations", exact=True)).to_be_checked()
    assert_accessible(page, "(preferences)")

    page.get_by_role("checkbox", name="Obligations", exact=True).uncheck()
    page.get_by_role("button", name="Save reminder choices").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your reminder choices have been saved")
    expect(page.get_by_role("checkbox", name="Obligations", exact=True)).not_to_be_checked()
    expect(page.get_by_role("checkbox", name="Reviews", exact=True)).to_be_checked()
    assert_accessible(page, "(preferences, saved)")

    # A choice the form never offers (a tampered request) gets the GOV.UK error pattern.
    page.get_by_role("checkbox", name="Reviews", exact=True).evaluate("box => { box.value = 'weekly' }")
    page.get_by_role("button", name="Save reminder choices").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page, "(preferences, with errors)")

    # An administrator reads the outbox.
    page.context.clear_cookies()
    admin = make_user(system_role="admin")
    sign_in_through_form(page, admin.email, TEST_PASSWORD)
    page.wait_for_url("**/dashboard")
    page.get_by_role("link", name="Outbox").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outbox")
    expect(page.get_by_role("status")).to_have_text("6 messages")
    expect(page.get_by_role("row", name=re.compile(re.escape(approver.email)))).to_contain_text("Sent")
    assert_accessible(page, "(outbox)")

    page.get_by_role("checkbox", name="Unsent only").check()
    page.get_by_role("button", name="Apply filter").click()
    expect(page.get_by_role("status")).to_have_text("No messages")
    assert_accessible(page, "(outbox, unsent only)")
