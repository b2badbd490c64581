"""A Leeds viewer sets up a calendar feed in Chromium, subscribes to it, regenerates and stops it; axe finds no violations."""

import urllib.error
import urllib.request

import icalendar
import pytest
from playwright.sync_api import expect

from tests.agreements.builders import agreement_in, three_councils
from tests.factories import TEST_PASSWORD

from .conftest import assert_accessible, sign_in_through_form

pytestmark = pytest.mark.browser


def _fetch(url: str) -> tuple[int, bytes]:
    """Fetch a feed as a calendar app would: no cookies, no session."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_a_viewer_subscribes_to_a_calendar_of_review_dates(page):
    councils = three_councils()
    agreement = agreement_in("active", councils)
    viewer = councils["LDS"].viewer
    sign_in_through_form(page, viewer.email, TEST_PASSWORD)
    page.wait_for_url("**/dashboard")

    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="set up a calendar feed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendar feeds")
    row = page.get_by_role("row", name="Leeds City Council")
    expect(row).to_contain_text("None")
    assert_accessible(page, "(no feed)")

    page.get_by_role("button", name="Create a feed of Leeds City Council").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Calendar feed created")
    address = page.locator("#calendar-feed-url").inner_text().strip()
    assert address.endswith(".ics")
    assert_accessible(page, "(address shown)")

    status, body = _fetch(address)
    assert status == 200
    calendar = icalendar.Calendar.from_ical(body)
    assert agreement.review_due in [event.start for event in calendar.walk("VEVENT")]

    page.get_by_role("link", name="Back to your calendar feeds").click()
    expect(row).to_contain_text("Created")
    expect(page.locator("body")).not_to_contain_text(address)
    assert_accessible(page, "(with a feed)")

    page.get_by_role("button", name="Regenerate the feed of Leeds City Council").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Feed address replaced")
    new_address = page.locator("#calendar-feed-url").inner_text().strip()
    assert_accessible(page, "(address replaced)")
    assert new_address != address
    assert _fetch(address)[0] == 404
    assert _fetch(new_address)[0] == 200

    page.get_by_role("link", name="Back to your calendar feeds").click()
    page.get_by_role("button", name="Stop the feed of Leeds City Council").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been stopped")
    assert_accessible(page, "(feed stopped)")
    assert _fetch(new_address)[0] == 404
