"""Joining and recovering in Chromium: an authority administrator invites someone who joins from the emailed link, and a forgotten password is reset, with every page scanned by axe-core."""

import re

import pytest
from playwright.sync_api import expect

from registry.outbox import delivery
from tests.factories import make_authority, make_user
from tests.mail import link_in

from .conftest import assert_accessible, press_and_expect_errors, sign_in_to_the_dashboard, visit

pytestmark = pytest.mark.browser


def _deliver_and_read_link(smtp_server, address: str, path: str) -> str:
    """Send what the outbox holds to the local SMTP server; return the link in the newest email to the address."""
    report = delivery.send_queued()
    assert report.ok, report.problems()
    received = [m for m in smtp_server.messages if address in m.envelope.rcpt_tos]
    assert received, f"no email reached {address}"
    return link_in(received[-1].email.get_body(preferencelist=("plain",)).get_content(), path)


def test_an_authority_administrator_invites_someone_who_joins_and_lands_signed_in_with_the_role(
    browser, page, live_server, smtp_server
):
    leeds = make_authority(code="LDS", name="Leeds City Council")
    administrator = make_user(name="Lena Admin", email="lena@leeds.example.org", administers=(leeds,))
    sign_in_to_the_dashboard(page, administrator)

    page.get_by_role("link", name="Users").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    assert_accessible(page, "(an authority's people)")
    page.get_by_role("button", name="Invite someone").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite someone")
    assert_accessible(page, "(invite, empty)")
    page.get_by_role("button", name="Send invitation").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page, "(invite, errors)")

    page.get_by_label("Email address").fill("nadia@leeds.example.org")
    page.get_by_label("Contributor").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("We have sent an invitation to nadia@leeds.example.org")
    expect(page.get_by_role("cell", name="nadia@leeds.example.org", exact=True)).to_be_visible()
    assert_accessible(page, "(invitations, one waiting)")

    link = _deliver_and_read_link(smtp_server, "nadia@leeds.example.org", "/join/")
    assert link.startswith(live_server + "/join/")

    invitee = browser.new_context(base_url=live_server).new_page()
    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_contain_text("Join the")
    assert_accessible(invitee, "(join, empty)")
    invitee.get_by_role("button", name="Create account and sign in").click()
    expect(invitee.locator(".govuk-error-summary")).to_contain_text("Enter your full name")
    assert_accessible(invitee, "(join, errors)")
    invitee.get_by_label("Full name").fill("Nadia Newstarter")
    invitee.get_by_label("Choose a password").fill("winter-orchard-lantern")
    invitee.get_by_role("button", name="Create account and sign in").click()

    invitee.wait_for_url("**/dashboard")
    expect(invitee.locator(".govuk-notification-banner")).to_contain_text(
        "Welcome, Nadia Newstarter. You are now contributor for Leeds City Council.")
    assert_accessible(invitee, "(dashboard, just joined)")
    invitee.get_by_role("link", name="Your account").click()
    expect(invitee.locator(".govuk-summary-list")).to_contain_text("Contributor for Leeds City Council")

    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_have_text("This invitation has already been used")
    assert_accessible(invitee, "(invitation used)")
    invitee.context.close()


def test_a_person_resets_a_forgotten_password_and_lands_signed_in(browser, page, live_server, smtp_server):
    make_user(name="Pat Person", email="pat@leeds.example.org")

    page.goto("/sign-in")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    assert_accessible(page, "(reset request, empty)")
    press_and_expect_errors(page, "Send reset link", "Enter your email address", "(reset request, errors)")
    page.get_by_label("Email address").fill("pat@leeds.example.org")
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page, "(check your email)")

    link = _deliver_and_read_link(smtp_server, "pat@leeds.example.org", "/reset-password/")
    assert link.startswith(live_server + "/reset-password/")

    visit(page, link, "Choose a new password", "(new password, empty)")
    page.get_by_label("New password").fill("password1234")
    press_and_expect_errors(page, "Change password and sign in", "Password is too easy to guess", "(new password, errors)")
    page.get_by_label("New password").fill("plum-lantern-harbour-seven")
    page.get_by_role("button", name="Change password and sign in").click()

    page.wait_for_url("**/dashboard")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your password has been changed and you are signed in")
    page.get_by_role("link", name="Your account").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("pat@leeds.example.org")

    visit(page, link, "This link does not work", "(reset link used)")


def test_changing_your_password_in_the_browser(page):
    sign_in_to_the_dashboard(page, make_user())

    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="Change your password").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Change your password")
    assert_accessible(page, "(change password, empty)")
    press_and_expect_errors(page, "Change password", "Enter your current password", "(change password, errors)")
    page.get_by_label("Current password").fill("a-long-test-passphrase")
    page.get_by_label("New password").fill("plum-lantern-harbour-seven")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your password has been changed")


def test_an_authority_administrators_person_page(page):
    leeds = make_authority(code="LDS", name="Leeds City Council")
    administrator = make_user(administers=(leeds,))
    person = make_user(name="Pat Person", memberships={leeds: "viewer"})
    sign_in_to_the_dashboard(page, administrator)

    page.goto(f"/users/{person.id}")
    assert_accessible(page, "(person, as an authority administrator)")
    page.get_by_role("button", name="Make administrator").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Pat Person is now an administrator for Leeds City Council")
    press_and_expect_errors(page, "Make administrator", "already an administrator", "(person, errors)")

    page.goto("/invitations")
    assert_accessible(page, "(invitations, empty)")


def test_links_that_do_not_work_say_so_accessibly(page):
    visit(page, "/join/not-a-real-token", "This invitation link does not work", "(unknown invitation)")
    visit(page, "/reset-password/not-a-real-token", "This link does not work", "(unknown reset link)")


def test_a_system_administrator_gives_a_role_finding_the_authority_by_typing_part_of_its_name(page):
    make_authority(code="LDS", name="Leeds City Council")
    make_authority(code="BRD", name="Bradford Council")
    admin = make_user(name="Sam Admin", email="sam@registry.example.org", system_role="admin")
    person = make_user(name="Nadia Newstarter", email="nadia@bradford.example.org")
    sign_in_to_the_dashboard(page, admin)
    page.goto(f"/users/{person.id}")

    box = page.locator("#authority_code")
    box.fill("brad")
    page.get_by_role("option", name="Bradford Council").wait_for()
    assert_accessible(page, "(a user, suggestions open)")
    page.get_by_role("option", name="Bradford Council").click()
    page.locator("form", has=box).get_by_label("Viewer").check()
    page.get_by_role("button", name="Give role").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("Nadia Newstarter is now viewer for Bradford Council")
    expect(page.get_by_role("cell", name="Bradford Council", exact=True)).to_be_visible()
