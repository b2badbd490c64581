"""Someone who is not signed in reads the public register in Chromium; axe-core finds no violations."""

import re

import pytest
from playwright.sync_api import expect

from registry.agreements import services
from registry.extensions import db
from tests.agreements.builders import agreement_in, three_councils

from .conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_the_empty_register(page):
    page.goto("/register")
    expect(page.get_by_role("heading", level=1)).to_have_text("Public register of data-sharing agreements")
    expect(page.get_by_role("status")).to_have_text("No agreements match")
    expect(page.get_by_role("link", name="Dashboard")).to_have_count(0)
    assert_accessible(page, "(empty)")


def test_a_visitor_searches_reads_an_agreement_and_its_changes(page, app):
    councils = three_councils()
    active = agreement_in("active", councils)
    suspended = agreement_in("suspended", councils)
    ended = agreement_in("active", councils)
    services.terminate(councils["BRD"].approver, ended, reason="No longer needed")
    db.session.commit()

    page.goto("/about")
    page.get_by_role("link", name="Public register").click()
    expect(page.get_by_role("status")).to_have_text("2 agreements")
    assert_accessible(page, "(with results)")

    page.get_by_label("Status").select_option("suspended")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("status")).to_have_text("1 agreement")
    page.get_by_role("link", name="Supporting families").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supporting families")
    expect(page.locator(".govuk-caption-l")).to_have_text(suspended.reference)
    expect(page.get_by_text("This agreement is suspended")).to_be_visible()
    assert_accessible(page, "(detail)")

    page.get_by_role("link", name="Public register", exact=True).first.click()
    page.get_by_role("link", name="See what changed and when").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What changed in the public register")
    expect(page.get_by_role("status")).to_have_text("5 changes")
    expect(page.get_by_role("cell", name="Terminated")).to_be_visible()
    assert_accessible(page, "(change log)")

    page.get_by_label("Agreement reference").fill(active.reference)
    page.get_by_role("button", name="Apply filter").click()
    expect(page.get_by_role("status")).to_have_text(f"1 change to {active.reference}")

    page.get_by_label("Agreement reference").fill("not a reference")
    page.get_by_role("button", name="Apply filter").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page, "(change log, filter error)")

    page.goto("/register?category=secret")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "(register, filter error)")


def test_a_visitor_comes_in_by_the_front_door_and_searches_the_register(page, app):
    councils = three_councils()
    active = agreement_in("active", councils)

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Data Sharing Agreement Registry")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert_accessible(page, "(home, signed out)")

    page.get_by_label("Search agreements by reference, title or purpose").fill(active.reference)
    page.get_by_role("button", name="Search the register").click()
    expect(page.get_by_role("status")).to_have_text("1 agreement")
    entry = page.locator(f'[data-reference="{active.reference}"]')
    expect(entry).to_contain_text("Bradford Council: provides and receives data, controller")
    expect(entry).to_contain_text("UK GDPR Article 6(1)(e): Public task")

    page.goto("/")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
