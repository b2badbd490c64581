"""Browser fixtures: the app served on 127.0.0.1, Debian's Chromium driven by Playwright, and axe-core.

Never `playwright install`: it downloads a browser, which this project does not need or allow.
"""

import shutil
import threading

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

from tests.factories import TEST_PASSWORD

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture
def live_server(app):
    """Serve the app on a free port on 127.0.0.1 for the length of the test; return its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    # As under `make run`: links in emails and calendar feeds open the running app.
    app.config["SERVICE_URL"] = base
    yield base
    server.shutdown()
    thread.join(timeout=10)


# Debian's headless build of Chromium first: the same Blink and V8 without the desktop browser
# around them (as Playwright's own headless runs use), it ran the browser tests on 40% less
# CPU than the full browser (bench/README.md). The full browser serves where only it is installed.
CHROMIUM_COMMANDS = ("chromium-headless-shell", "chromium")
NO_CHROMIUM = "Debian's Chromium is not on PATH: apt-get install chromium-headless-shell (make test does this)."


def chromium_executable() -> str | None:
    """Return the path of Debian's Chromium, its headless build if installed; None if neither is."""
    return next(filter(None, map(shutil.which, CHROMIUM_COMMANDS)), None)


@pytest.fixture(scope="session")
def browser():
    """Launch Debian's Chromium (found on PATH) once per test run."""
    executable = chromium_executable()
    if executable is None:
        pytest.fail(f"Browser tests need a browser. {NO_CHROMIUM}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """Return a new browser tab with its own cookies, whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


_axe = Axe()


def assert_unique_ids(page, state: str = "") -> None:
    """Fail if any id is used twice in the page as the browser holds it, scripts' changes included.

    axe-core 4.12 no longer reports duplicate ids, but a label tied to a shared id ticks the
    wrong box, so every page the browser tests scan is checked for them.
    """
    duplicates = page.evaluate(
        """() => {
            const counts = {};
            for (const element of document.querySelectorAll("[id]")) counts[element.id] = (counts[element.id] || 0) + 1;
            return Object.keys(counts).filter((id) => counts[id] > 1).sort();
        }"""
    )
    assert not duplicates, f"{page.url} {state} uses these ids more than once: {duplicates}"


def assert_accessible(page, state: str = "") -> None:
    """Scan the page with axe-core for WCAG 2.0, 2.1 and 2.2 A and AA rules, and for ids used twice; fail listing what it found."""
    assert_unique_ids(page, state)
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    violations = results.response["violations"]
    described = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[node['target'] for node in v['nodes']][:3]}" for v in violations
    ]
    where = f"{page.url} {state}".strip()
    assert not violations, f"axe-core found {len(violations)} violation(s) on {where}:\n" + "\n".join(described)


def sign_in_through_form(page, email: str, password: str) -> None:
    """Sign in by filling in and submitting the real sign-in form."""
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    # exact: the page may also have "Sign in with <provider>" buttons (registry/sso).
    page.get_by_role("button", name="Sign in", exact=True).click()


def sign_in_to_the_dashboard(page, user) -> None:
    """Sign a test user in through the real form, with the test password, and wait for their dashboard."""
    sign_in_through_form(page, user.email, TEST_PASSWORD)
    page.wait_for_url("**/dashboard")


def press_and_expect_errors(page, button: str, error: str | None, state: str) -> None:
    """Press a form's button and expect the GOV.UK error summary (saying `error`, if given), accessibly."""
    page.get_by_role("button", name=button).click()
    summary = page.locator(".govuk-error-summary")
    if error is None:
        expect(summary).to_be_visible()
    else:
        expect(summary).to_contain_text(error)
    assert_accessible(page, state)


def visit(page, url: str, heading: str, state: str) -> None:
    """Go to a page, expect its main heading, and check it is accessible."""
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page, state)
