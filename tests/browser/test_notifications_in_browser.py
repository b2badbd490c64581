"""In Chromium: a contributor submits; the other party's approver sees the unread count, opens the inbox, follows the link and approves that exact version."""

import re

import pytest
from playwright.sync_api import expect

from registry.agreements.queries import agreement_by_reference
from registry.extensions import db
from tests.agreements.builders import complete_draft, three_councils

from .conftest import assert_accessible, sign_in_to_the_dashboard

pytestmark = pytest.mark.browser


def test_an_approver_hears_of_a_submission_in_the_header_and_approves_from_the_inbox(app, browser, live_server, page):
    councils = three_councils()
    agreement = complete_draft(councils)
    reference = agreement.reference

    sign_in_to_the_dashboard(page, councils["LDS"].contributor)
    page.goto(f"/agreements/{reference}/draft")
    page.get_by_role("button", name=re.compile("Submit")).click()
    expect(page.get_by_text("has been sent to the parties for approval")).to_be_visible()

    context = browser.new_context(base_url=live_server)
    approver = context.new_page()
    try:
        sign_in_to_the_dashboard(approver, councils["BRD"].approver)
        header_link = approver.get_by_role("link", name="Notifications 1 unread")
        expect(header_link).to_be_visible()
        header_link.click()
        expect(approver.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
        expect(approver.get_by_text("You have 1 unread notification")).to_be_visible()
        assert_accessible(approver, "inbox with one unread")

        approver.get_by_role("link", name=f"Approval needed: {reference} Supporting families, version 1").click()
        approver.wait_for_url(f"**/agreements/{reference}/approve")
        version = agreement_by_reference(reference).latest_version
        expect(approver.get_by_text(version.content_hash).first).to_be_visible()
        approver.get_by_role("button", name=re.compile("Approve")).click()
        approver.wait_for_url(f"**/agreements/{reference}")

        db.session.expire_all()
        approvals = agreement_by_reference(reference).latest_version.approvals
        assert [(a.authority.code, a.content_hash) for a in approvals] == [("BRD", version.content_hash)]
        expect(approver.get_by_role("link", name="Notifications", exact=True)).to_be_visible()  # nothing unread now

        approver.goto("/account/notifications")
        assert_accessible(approver, "notification choices")
    finally:
        context.close()
