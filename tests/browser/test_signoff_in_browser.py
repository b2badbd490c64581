"""Who holds it up, in Chromium: the lead's approver nudges a party from the agreement's page, then reads the
sign-off speed pages; each page passes axe-core."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from registry.core.clock import today
from tests.agreements.builders import agreement_in, three_councils
from tests.factories import make_user
from tests.notifications.conftest import start_listening

from .conftest import assert_accessible, sign_in_to_the_dashboard

pytestmark = pytest.mark.browser


def test_nudging_and_the_sign_off_pages_are_accessible(app, page, smtp_server):
    councils = three_councils()
    agreement = agreement_in("proposed", councils)
    start_listening()
    app.config["TODAY"] = (today() + timedelta(days=9)).isoformat()

    sign_in_to_the_dashboard(page, councils["LDS"].approver)
    page.goto(f"/agreements/{agreement.reference}")
    expect(page.get_by_role("heading", name="Who still has to approve")).to_be_visible()
    expect(page.locator(".app-sign-off")).to_contain_text("for 9 days")
    assert_accessible(page, "(proposed, waiting for every party)")

    page.get_by_role("button", name="Nudge Bradford Council").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Bradford Council has been nudged: 2 approvers asked")
    expect(page.locator(".app-sign-off").get_by_role("row", name=re.compile("^Bradford Council"))).to_contain_text("You can nudge again from")
    expect(page.get_by_role("button", name="Nudge Bradford Council")).to_have_count(0)
    assert_accessible(page, "(nudged)")

    page.goto("/authorities/LDS")
    page.get_by_role("link", name=re.compile("How fast agreements with Leeds City Council are approved")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How fast agreements are approved")
    expect(page.get_by_role("link", name=agreement.reference)).to_be_visible()
    assert_accessible(page, "(an authority's sign-off speed)")

    page.goto("/authorities/LDS/sign-off?page=two")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page, "(an authority's sign-off speed, bad page number)")

    page.context.clear_cookies()
    sign_in_to_the_dashboard(page, make_user(system_role="auditor"))
    page.goto("/sign-off")
    expect(page.get_by_role("heading", level=1)).to_have_text("How fast agreements are approved")
    expect(page.get_by_role("link", name="Bradford Council")).to_be_visible()
    assert_accessible(page, "(sign-off speed across every authority)")
