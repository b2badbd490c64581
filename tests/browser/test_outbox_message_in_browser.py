"""An outbox message's page in Chromium: the email's HTML shows in its sandbox, runs no script there, and the page passes axe-core."""

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, make_user
from tests.outbox import add_raw

from .conftest import assert_accessible, sign_in_through_form

pytestmark = pytest.mark.browser

HTML = ('<h1 style="color: #1d70b8">Approved</h1><p id="said">DSA-2026-0001 is in force.</p>'
        '<script>document.getElementById("said").textContent = "a script ran"; parent.document.title = "pwned"</script>')


def test_a_message_with_html_shows_it_safely_and_accessibly(page):
    message = add_raw(subject="Approved: DSA-2026-0001", body="DSA-2026-0001 is in force.\n", html_body=HTML)
    text_only = add_raw(key="raw:text", subject="Reminder", body="Plain text.\n", last_error="SMTPRecipientsRefused: 550",
                        attempts=1)
    admin = make_user(system_role="admin")
    sign_in_through_form(page, admin.email, TEST_PASSWORD)
    page.wait_for_url("**/dashboard")

    page.goto(f"/outbox/{message.id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Approved: DSA-2026-0001")
    frame = page.frame_locator("iframe[title='The email as HTML']")
    expect(frame.get_by_role("heading", name="Approved")).to_be_visible()
    # Its style shows; its script does not run, here or in the page around it.
    expect(frame.get_by_role("heading", name="Approved")).to_have_css("color", "rgb(29, 112, 184)")
    expect(frame.locator("#said")).to_have_text("DSA-2026-0001 is in force.")
    assert page.title().startswith("Outbox message")
    assert_accessible(page, "(message with HTML)")

    page.get_by_role("link", name="Outbox").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outbox")

    page.goto(f"/outbox/{text_only.id}")
    expect(page.get_by_text("This message is text only.")).to_be_visible()
    assert_accessible(page, "(text only, not sent)")
