"""Reminders end to end: the command delivers each once to a local SMTP server, into the inbox too, and
people choose them where they choose their other notifications; the pages pass axe-core in Chromium."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.agreements.builders import three_councils
from tests.factories import TEST_PASSWORD, make_user
from tests.notifications.conftest import text_of
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
    assert agreement.reference in theirs["Subject"] and agreement.reference in text_of(theirs)

    # The approver follows the old reminders page's address, and chooses their reminders where it went.
    sign_in_through_form(page, approver.email, TEST_PASSWORD)
    page.wait_for_url("**/dashboard")
    page.goto("/account/reminders")
    page.wait_for_url("**/account/notifications")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="Choose how you hear of things").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How you hear of things")
    obligations = page.get_by_role("group", name="Obligation reminders")
    expect(obligations.get_by_role("radio", name="Email me straight away")).to_be_checked()
    assert_accessible(page, "(notification choices)")

    obligations.get_by_role("radio", name="Do not tell me").check()
    page.get_by_role("button", name="Save your choices").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your choices have been saved")
    expect(obligations.get_by_role("radio", name="Do not tell me")).to_be_checked()
    reviews = page.get_by_role("group", name="Review reminders")
    expect(reviews.get_by_role("radio", name="Email me straight away")).to_be_checked()
    assert_accessible(page, "(notification choices, saved)")

    # A choice the form never offers (a tampered request) gets the GOV.UK error pattern.
    reviews.get_by_role("radio", name="Email me straight away").evaluate("radio => { radio.value = 'weekly' }")
    page.get_by_role("button", name="Save your choices").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page, "(notification choices, with errors)")

    # Their reminders are in their notifications too.
    page.goto("/notifications")
    expect(page.get_by_role("link", name=re.compile(f"Review due in 30 days: {agreement.reference}"))).to_be_visible()
    assert_accessible(page, "(notifications, with a reminder)")

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
