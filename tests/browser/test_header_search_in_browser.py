"""The header's search box at 320 px, used by keyboard alone, in Chromium; axe-core finds no violations."""

import re

import pytest
from playwright.sync_api import expect

from tests.agreements.builders import agreement_in, three_councils

from .conftest import assert_accessible, sign_in_to_the_dashboard

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}


def _fits_the_width(page, selector: str) -> bool:
    """True when nothing in the element reaches past the right edge of the viewport (WCAG 1.4.10)."""
    return page.evaluate(
        """(selector) => {
            const element = document.querySelector(selector);
            const inside = [element, ...element.querySelectorAll("*")];
            return inside.every((e) => e.getBoundingClientRect().right <= window.innerWidth) && element.scrollWidth <= element.clientWidth;
        }""",
        selector,
    )


def _tab_to(page, element_id: str, most: int = 30) -> None:
    """Press Tab until the element has the focus, as a keyboard user would; fail if it never does."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
    pytest.fail(f"Tab never reached #{element_id}")


def test_a_keyboard_user_searches_from_the_header_at_320_px(page):
    councils = three_councils()
    agreement = agreement_in("active", councils)
    page.set_viewport_size(NARROW)
    sign_in_to_the_dashboard(page, councils["BRD"].viewer)

    box = page.get_by_role("search", name="Registry").get_by_label("Search agreements, datasets and authorities")
    expect(box).to_be_visible()
    assert _fits_the_width(page, "header")

    _tab_to(page, "header-search")
    page.keyboard.type("families")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Search results for “families”")
    result = page.get_by_role("link", name="Supporting families")
    expect(result).to_have_attribute("href", f"/agreements/{agreement.reference}")
    assert _fits_the_width(page, "body")
    assert_accessible(page, "(results at 320 px)")

    _tab_to(page, "q")  # the results page's own box, to search again
    page.keyboard.press("Control+A")
    page.keyboard.type("x" * 101)
    page.keyboard.press("Enter")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page, "(too long, at 320 px)")


def test_signed_out_the_header_searches_the_register(page):
    councils = three_councils()
    agreement = agreement_in("active", councils)
    page.goto("/register")
    box = page.get_by_role("search", name="Registry").get_by_label("Search the public register")
    box.fill(agreement.reference)
    box.press("Enter")
    expect(page.get_by_role("link", name="Supporting families")).to_have_attribute("href", f"/register/{agreement.reference}")
    assert_accessible(page, "(signed out results)")
