"""No page scrolls sideways on a 320 CSS px wide screen (WCAG 2.2 1.4.10 Reflow), nor the audit log on a desktop.

Every kind of page of the demo walk (tests/demo/crawl.py), as each demo person and signed out, is
loaded in Chromium 320 px wide: the width of a 1280 px screen zoomed to 400 %. Content
may scroll sideways only inside a region of its own (a wide table), never the whole page.
"""

import pytest

from registry.demo.data import DEMO_PASSWORD
from tests.demo.crawl import WALKER_PARAMS, load_demo, walk_as

from .conftest import sign_in_through_form

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 800}

# The outermost elements that stick out, or whose text sticks out, past the right edge of the
# viewport, leaving out what a scrolling (or clipping) box holds in. A box holds in only what it
# contains as CSS lays out: an absolutely positioned element (a visually hidden header, say)
# escapes every box between it and its nearest positioned ancestor.
_OVERFLOW = """() => {
    const root = document.documentElement;
    if (root.scrollWidth <= root.clientWidth) return null;
    const edge = root.clientWidth + 0.5;
    const style = (element) => getComputedStyle(element);
    const heldIn = (element) => {
        for (let node = element; node && node !== document.body; ) {
            const position = style(node).position;
            if (position === "fixed") return false;
            let box = node.parentElement;
            if (position === "absolute") {
                while (box && box !== document.body && style(box).position === "static") box = box.parentElement;
            }
            if (!box || box === document.body) return false;
            if (style(box).overflowX !== "visible") return true;
            node = box;
        }
        return false;
    };
    // A box's own rectangle leaves out text that overflows it (a long unbroken hash): measure that text too.
    const textReach = (element) => {
        let right = 0;
        for (const child of element.childNodes) {
            if (child.nodeType !== Node.TEXT_NODE || !child.textContent.trim()) continue;
            const range = document.createRange();
            range.selectNodeContents(child);
            right = Math.max(right, range.getBoundingClientRect().right);
        }
        return right;
    };
    const reach = (element) => Math.max(element.getBoundingClientRect().right, textReach(element));
    const sticksOut = (element) => reach(element) > edge && !heldIn(element);
    const offenders = [];
    for (const element of document.body.querySelectorAll("*")) {
        if (!sticksOut(element) || (element.parentElement !== document.body && sticksOut(element.parentElement))) continue;
        const name = element.tagName.toLowerCase()
            + (element.id ? "#" + element.id : "")
            + [...element.classList].map((c) => "." + c).join("");
        const text = (element.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 50);
        offenders.push(`${name} (to ${Math.round(reach(element))} px) "${text}"`);
    }
    return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, offenders: offenders.slice(0, 5)};
}"""

# Boxes scrolled sideways that a keyboard cannot reach or a screen reader cannot name: each must
# be a region with a label that takes focus (macros/tables.html: scroll_region). Form fields
# scroll their own text and take focus anyway.
_UNREACHABLE_SCROLLING = """() => [...document.body.querySelectorAll("*")]
    .filter((box) => ["auto", "scroll"].includes(getComputedStyle(box).overflowX) && box.scrollWidth > box.clientWidth)
    .filter((box) => !box.matches("input, select, textarea"))
    .filter((box) => !(box.getAttribute("role") === "region" && box.getAttribute("aria-label") && box.tabIndex === 0))
    .map((box) => box.tagName.toLowerCase() + [...box.classList].map((c) => "." + c).join(""))"""


@pytest.fixture
def demo(app):
    load_demo()


def _pages_reached(app, email: str | None) -> list[str]:
    """Return the HTML pages the demo walk reached as this person (or signed out), one of each kind.

    The walk samples up to three pages of a kind (a route with the same query keys); one in
    Chromium is enough, as the three share their template and differ only in what they hold.
    Chromium loads each from the live server, as the person signed in. (Handing it the walk's
    own copy through page.route cost more: Playwright turns the browser's cache off for a page
    with a route, so every page fetched and parsed the styles and scripts again.)
    """
    first_of_each_kind = {}
    for visit in walk_as(app, email):
        if visit.is_page and visit.kind not in first_of_each_kind:
            first_of_each_kind[visit.kind] = visit.url
    return list(first_of_each_kind.values())


def _sideways_scroll(page) -> str | None:
    """Say how the page scrolls sideways and which elements make it, or None if it fits its viewport."""
    found = page.evaluate(_OVERFLOW)
    if found is None:
        return None
    return (
        f"{page.url} is {found['scrollWidth']} px wide in a {found['clientWidth']} px viewport, made wide by: "
        + "; ".join(found["offenders"] or ["(no single element: look for margins or positioned content)"])
    )


@pytest.mark.parametrize("email", WALKER_PARAMS)
def test_no_page_of_the_walk_scrolls_sideways_at_320_px(app, demo, page, email):
    urls = _pages_reached(app, email)
    assert len(urls) > 5, f"the walk reached only {urls}"
    page.set_viewport_size(PHONE)
    if email:
        sign_in_through_form(page, email, DEMO_PASSWORD)
        page.wait_for_url("**/dashboard")

    too_wide, unreachable = [], []
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, f"{url} answered {response.status} in Chromium, 200 in the walk"
        if problem := _sideways_scroll(page):
            too_wide.append(problem)
        if boxes := page.evaluate(_UNREACHABLE_SCROLLING):
            unreachable.append(f"{page.url}: {boxes}")
    assert not too_wide, f"{len(too_wide)} of {len(urls)} pages scroll sideways at 320 px:\n" + "\n".join(too_wide)
    assert not unreachable, "these boxes scroll sideways but are not labelled regions that take focus:\n" + "\n".join(unreachable)


def test_the_audit_log_fits_a_desktop_screen(demo, page):
    page.set_viewport_size(DESKTOP)
    sign_in_through_form(page, "auditor@registry.example.org", DEMO_PASSWORD)
    page.wait_for_url("**/dashboard")
    page.goto("/audit")
    assert page.locator("tbody tr").count() > 0, "the audit log shows no entries to measure"
    assert _sideways_scroll(page) is None, _sideways_scroll(page)
    # On a desktop screen the table fits its column too: long hashes wrap, they do not need scrolling to.
    needed, shown = page.locator(".app-scroll-region").evaluate("(region) => [region.scrollWidth, region.clientWidth]")
    assert needed <= shown, f"the table of entries is {needed} px wide in a {shown} px column"
