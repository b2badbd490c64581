"""Issue 5 end to end in Chromium: attesting, the counterpart view on both sides, overdue as time moves,
reminders delivered once to a real SMTP server, and a calendar feed that holds the review date.

Bradford and Leeds have an active agreement: Bradford owes Leeds an annual Cyber Essentials Plus
certificate, first due 90 days after the start. Every new page is scanned with axe-core.
"""

import re
import urllib.request
from datetime import timedelta

import icalendar
import pytest
from playwright.sync_api import expect

from registry.agreements import services
from registry.users.actors import SCHEDULER
from registry.core.clock import today
from registry.extensions import db
from registry.obligations.schedule import add_months
from tests.agreements.builders import complete_draft, load_legal_bases, make_council
from tests.factories import TEST_PASSWORD

from .conftest import assert_accessible, sign_in_through_form

pytestmark = pytest.mark.browser


def _active_agreement_between_two_councils():
    load_legal_bases()
    councils = {"LDS": make_council("LDS", "Leeds City Council"), "BRD": make_council("BRD", "Bradford Council")}
    agreement = complete_draft(councils, partners=("BRD",))
    services.submit(councils["LDS"].contributor, agreement)
    for code in ("LDS", "BRD"):
        services.approve(councils[code].approver, agreement, councils[code].authority, content_hash=agreement.latest_version.content_hash)
    services.start(SCHEDULER, agreement)
    db.session.commit()
    return councils, agreement


def _sign_in_as(page, user):
    page.context.clear_cookies()
    sign_in_through_form(page, user.email, TEST_PASSWORD)
    page.wait_for_url("**/dashboard")


def _owed_by_bradford(page):
    """The table of what Bradford owes Leeds, on either side's counterpart view."""
    return page.get_by_role("table", name=re.compile("Owed by Bradford Council to Leeds City Council"))


def test_attest_see_it_met_then_overdue_on_both_sides_with_reminders_once_and_a_calendar(app, runner, page, smtp_server):
    councils, agreement = _active_agreement_between_two_councils()
    first_due = today() + timedelta(days=90)

    # Bradford's approver sees the certificate among what Bradford must attest to, and attests.
    _sign_in_as(page, councils["BRD"].approver)
    attest_soon = page.get_by_role("table", name=re.compile("What we owe that falls due"))
    expect(attest_soon).to_contain_text("Security standard")
    assert_accessible(page, "(dashboard, with the picture of who we share with)")
    expect(page.get_by_role("img", name=re.compile("Network of the 1 authorities we share with"))).to_be_visible()
    page.get_by_role("link", name=agreement.reference).first.click()
    page.get_by_role("link", name=re.compile("Attest to security standard owed by")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Attest for Bradford Council")
    assert_accessible(page, "(attest form)")

    page.get_by_role("button", name="Attest").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say whether it was met")
    assert_accessible(page, "(attest form with errors)")

    page.get_by_role("radio", name="Met", exact=True).check()
    page.get_by_label("Evidence reference (optional)").fill("CE+ certificate 0042")
    page.get_by_role("button", name="Attest").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Attested: met")
    expect(page.get_by_role("link", name=re.compile("Receipt, entry"))).to_be_visible()
    assert_accessible(page, "(agreement with attested obligation)")

    # Leeds, the party owed, sees it met in its counterpart view of Bradford.
    _sign_in_as(page, councils["LDS"].viewer)
    page.goto("/authorities/LDS")
    page.get_by_role("link", name="What each owes between Leeds City Council and Bradford Council").click()
    expect(_owed_by_bradford(page)).to_contain_text("Met")
    expect(_owed_by_bradford(page)).not_to_contain_text("Overdue")
    assert_accessible(page, "(counterpart view, met)")

    # A year and a day after the first due date, the next certificate is overdue, on both sides.
    app.config["TODAY"] = add_months(first_due, 12) + timedelta(days=1)
    page.reload()
    expect(_owed_by_bradford(page)).to_contain_text("Overdue")
    expect(page.get_by_text(re.compile(r"^\s*1\s*overdue to Leeds"))).to_be_visible()
    assert_accessible(page, "(counterpart view, overdue)")
    page.goto("/dashboard")
    expect(page.get_by_role("table", name="What partners owe us that is overdue")).to_contain_text("Security standard")
    assert_accessible(page, "(dashboard, overdue)")

    _sign_in_as(page, councils["BRD"].viewer)
    page.goto("/authorities/BRD/partners/LDS")
    expect(_owed_by_bradford(page)).to_contain_text("Overdue")
    expect(page.get_by_text(re.compile(r"^\s*1\s*overdue from Bradford"))).to_be_visible()

    # Reminders: the first run sends what is due, the second sends nothing again.
    first = runner.invoke(args=["reminders", "send"])
    second = runner.invoke(args=["reminders", "send"])
    sent = int(re.search(r"(\d+) sent", first.output).group(1))
    assert first.exit_code == 0 and sent > 0, first.output
    assert second.exit_code == 0 and "0 written, 0 sent, 0 failed" in second.output, second.output
    assert len(smtp_server.messages) == sent
    delivered = [(tuple(m.envelope.rcpt_tos), m.email["Subject"]) for m in smtp_server.messages]
    assert len(set(delivered)) == len(delivered)
    assert any("overdue" in subject.lower() and agreement.reference in subject for _, subject in delivered)

    # Leeds's calendar feed, subscribed to as a calendar app would, holds the review date.
    _sign_in_as(page, councils["LDS"].viewer)
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="set up a calendar feed").click()
    page.get_by_role("button", name="Create a feed of Leeds City Council").click()
    address = page.locator("#calendar-feed-url").inner_text().strip()
    with urllib.request.urlopen(address, timeout=10) as response:
        calendar = icalendar.Calendar.from_ical(response.read())
    assert agreement.review_due in [event.start for event in calendar.walk("VEVENT")]
