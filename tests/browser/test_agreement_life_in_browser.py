"""The whole life of an agreement across three councils, in Chromium, as the people who run it would.

A contributor at Leeds drafts it with two flows (one with special category data); the
approvers of Leeds, Bradford and Kirklees approve; the scheduled job starts it; Bradford
asks for an amendment, which is approved and supersedes the first version; Leeds
completes a review; Kirklees terminates it. Each step is checked on the page, in the API
and in the audit log, which verifies at the end. axe-core scans every page visited.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from registry.auditlog import checks
from registry.auditlog.models import AuditEntry
from registry.core.clock import today
from registry.extensions import db
from tests.agreements.builders import three_councils
from tests.factories import TEST_PASSWORD

from .conftest import assert_accessible, sign_in_through_form

pytestmark = pytest.mark.browser


class Person:
    """One person's browser tab, signed in, scanning every page it lands on."""

    def __init__(self, browser, live_server, user):
        self.user = user
        self.context = browser.new_context(base_url=live_server)
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        sign_in_through_form(self.page, user.email, TEST_PASSWORD)
        self.page.wait_for_url("**/dashboard")
        assert_accessible(self.page, f"(dashboard of {user.name})")

    def go(self, path: str, state: str = "") -> None:
        self.page.goto(path)
        assert_accessible(self.page, state)

    def click(self, name: str, state: str = "", role: str = "button") -> None:
        # Every button and link clicked here loads a page: wait for that page, not the one clicked
        # on (wait_for_load_state alone returns at once while the old page is still showing).
        with self.page.expect_navigation():
            self.page.get_by_role(role, name=name, exact=True).first.click()
        assert_accessible(self.page, state or f"(after {name})")

    def close(self):
        self.context.close()


def _date(page, name, day):
    page.locator(f"#{name}-day").fill(str(day.day))
    page.locator(f"#{name}-month").fill(str(day.month))
    page.locator(f"#{name}-year").fill(str(day.year))


def _audit_actions(reference: str) -> list[str]:
    db.session.expire_all()
    return [e.action for e in db.session.scalars(db.select(AuditEntry).where(AuditEntry.object_ref == reference).order_by(AuditEntry.index))]


def _api_status(api_as, user, reference) -> dict:
    response = api_as(user).get(f"/api/v1/agreements/{reference}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def test_the_life_of_an_agreement_across_three_councils(browser, live_server, runner, api_as):
    councils = three_councils()
    lds, brd, kir = councils["LDS"], councils["BRD"], councils["KIR"]
    start = today()

    # A contributor at Leeds drafts the agreement.
    author = Person(browser, live_server, lds.contributor)
    page = author.page
    author.go("/agreements", "(empty agreements list)")
    author.click("Start an agreement", role="button")
    author.click("Start the agreement", "(start form with errors)")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.get_by_label("Title").fill("Supporting families")
    page.get_by_label("Reciprocal information sharing agreement").check()
    author.click("Start the agreement", "(task list)")
    reference = re.search(r"DSA-\d{4}-\d{4}", page.url).group(0)
    assert _api_status(api_as, lds.contributor, reference)["status"] == "draft"

    author.click("Purpose and necessity", role="link")
    page.locator("#purpose").fill("Find families who need early help.")
    page.locator("#necessity").fill("Only the listed items are needed to match families.")
    author.click("Save and return to the draft")
    author.click("Terms", role="link")
    author.click("Save and return to the draft", "(terms with errors)")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.locator("#retention").fill("Two years, then deleted.")
    page.locator("#security_measures").fill("Encrypted at rest and in transit.")
    page.locator("#breach_notification_hours").fill("24")
    for name in ("onward_sharing_allowed", "commercial_use_allowed", "international_transfers"):
        page.locator(f"#{name}-2").check()  # No
    author.click("Save and return to the draft")
    author.click("Impact assessment", role="link")
    page.get_by_label("Completed", exact=True).check()
    page.locator("#dpia_reference").fill("DPIA-2026-7")
    _date(page, "dpia_date", start)
    page.locator("#dpo_consulted").check()
    author.click("Save and return to the draft")
    author.click("Dates", role="link")
    _date(page, "start_date", start)
    _date(page, "review_date", start + timedelta(days=30))
    _date(page, "end_date", start + timedelta(days=3 * 365))
    author.click("Save and return to the draft")

    # Leeds's own legal bases, then Bradford and Kirklees as parties.
    page.get_by_role("link", name="Change Leeds City Council").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Change Leeds City Council's part")
    assert_accessible(page, "(party form)")
    for code in ("UKGDPR-A6-1-E", "UKGDPR-A9-2-G", "DPA2018-S1-P6", "GW-CDA1998-S115"):
        page.locator(f"input[value='{code}']").check()
    author.click("Save and return to the draft")
    for council in (brd, kir):
        author.click("Add a party", role="button")
        page.locator("#authority_code").fill(council.authority.code)
        for code in ("UKGDPR-A6-1-E", "UKGDPR-A9-2-G", "DPA2018-S1-P6"):
            page.locator(f"input[value='{code}']").check()
        author.click("Save and return to the draft")

    # Two flows: everything, health included, to Bradford; no health data to Kirklees.
    for council, leave_out_health in ((brd, False), (kir, True)):
        author.click("Add a data flow", role="button")
        page.get_by_role("group", name="Who sends the data?").get_by_label("Leeds City Council").check()
        page.get_by_role("group", name="Who receives it?").get_by_label(council.authority.name).check()
        page.get_by_label("Which dataset?").select_option(label=f"{lds.authority.name}: {lds.dataset.name}")
        author.click("Continue", "(flow items)")
        for item in lds.dataset.items:
            if not (leave_out_health and item.special_category):
                page.get_by_label(item.name, exact=True).check()
        page.get_by_label("Periodic", exact=True).check()
        author.click("Save and return to the draft")
    # Seven sections and the obligations, which are complete with none (they are optional).
    expect(page.get_by_text("Completed")).to_have_count(8)

    author.click("Submit for approval", "(agreement proposed)")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Version 1 has been sent to the parties")
    assert _api_status(api_as, lds.contributor, reference)["status"] == "proposed"
    assert "agreement.submit" in _audit_actions(reference)

    # The approvers of all three approve, from their dashboards.
    for council in (lds, brd, kir):
        approver = Person(browser, live_server, council.approver)
        approver.click(f"Supporting families", "(approve page)", role="link")
        approver.click("Approve version 1", "(approved)")
        expect(approver.page.locator(".govuk-notification-banner")).to_contain_text(f"for {council.authority.name}")
        approver.close()
    assert _api_status(api_as, brd.viewer, reference)["status"] == "approved"

    # The scheduled job starts it on its start date.
    assert "1 started" in runner.invoke(args=["agreements", "tick"]).output
    author.go(f"/agreements/{reference}", "(active agreement)")
    expect(page.locator("h1 + p .govuk-tag")).to_have_text("Active")

    # Bradford asks for an amendment: the breach window shortens to 12 hours.
    partner = Person(browser, live_server, brd.contributor)
    partner.go(f"/agreements/{reference}")
    partner.click("Amend", "(amendment task list)")
    partner.click("Terms", role="link")
    partner.page.locator("#breach_notification_hours").fill("12")
    partner.click("Save and return to the draft")
    partner.close()
    author.go(f"/agreements/{reference}/draft", "(amendment draft, lead)")
    author.click("Submit for approval")
    for council in (lds, brd, kir):
        approver = Person(browser, live_server, council.approver)
        approver.go(f"/agreements/{reference}/approve", "(approve amendment)")
        approver.click("Approve version 2")
        approver.close()
    body = _api_status(api_as, kir.viewer, reference)
    assert body["status"] == "active" and body["current_version"]["number"] == 2
    assert [v["state"] for v in body["versions"]] == ["superseded", "current"]
    author.go(f"/agreements/{reference}/compare", "(compare versions)")
    expect(page.get_by_text("Breach notification time (hours) changed from “24” to “12”.")).to_be_visible()
    author.go(f"/agreements/{reference}/versions/2/print", "(print view)")

    # The review comes due and Leeds's approver completes it.
    lead_approver = Person(browser, live_server, lds.approver)
    lead_approver.go(f"/agreements/{reference}")
    lead_approver.click("Start a review")
    lead_approver.click("Complete the review", "(complete review form)", role="button")
    lead_approver.click("Complete the review", "(review form with errors)")
    expect(lead_approver.page.locator(".govuk-error-summary")).to_be_visible()
    _date(lead_approver.page, "next_review", start + timedelta(days=365))
    lead_approver.click("Complete the review")
    assert _api_status(api_as, lds.approver, reference)["review_due"] == (start + timedelta(days=365)).isoformat()
    lead_approver.close()

    # Kirklees terminates it, with a reason.
    ender = Person(browser, live_server, kir.approver)
    ender.go(f"/agreements/{reference}")
    ender.click("Terminate", "(terminate form)", role="button")
    ender.click("Terminate", "(terminate with errors)")
    ender.page.get_by_label("Why is the agreement being terminated?").fill("The programme has ended.")
    ender.click("Terminate", "(terminated)")
    expect(ender.page.locator(".govuk-notification-banner")).to_contain_text("terminated")
    assert _api_status(api_as, kir.approver, reference)["status"] == "terminated"
    ender.close()
    author.close()

    actions = _audit_actions(reference)
    for action in ("agreement.create", "agreement.add_party", "agreement.add_flow", "agreement.submit", "agreement.approve",
                   "agreement.start", "agreement.amend", "agreement.start_review", "agreement.complete_review",
                   "agreement.terminate"):
        assert action in actions, action
    assert actions.count("agreement.approve") == 6
    report = checks.verify_database()
    assert report.ok, report.summary()
