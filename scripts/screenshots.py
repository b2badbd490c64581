"""Remake the README's screenshots: the dashboard, an agreement, the party form and the register, at 1280 and 320 px.

`make screenshots` runs it, after installing Playwright, Chromium and the styles if missing:

    .venv/bin/python -m scripts.screenshots

It loads the demo (`flask demo load`) into a new SQLite database in a temporary folder,
serves the app on a free port on 127.0.0.1, drives Debian's Chromium (never `playwright
install`) and writes docs/screenshots/{page}-{width}.png. Nothing outside that folder and the
temporary one is touched, and the server stops when it is done.
"""

import logging
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from registry import create_app
from registry.agreements.models import AgreementVersion
from registry.demo.data import DEMO_PASSWORD
from registry.extensions import db
from tests.browser.conftest import CHROMIUM_FLAGS, NO_CHROMIUM, chromium_executable

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
WIDTHS = (1280, 320)
# The agreement shown, and the draft whose party form is shown (a charity receiving health data).
AGREEMENT = "MARAC: high-risk domestic abuse cases in Leeds"
DRAFT = "Carers' support: referrals from Calderdale to Aire Valley Family Support"
CHARITY = "CHARITY-AVFS"


def _demo_app(folder: Path):
    """Return the app on a new SQLite database in folder, with the reference data and the demo loaded."""
    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'demo.sqlite3'}"}, instance_path=str(folder))
    with app.app_context():
        upgrade()
    runner = app.test_cli_runner()
    for command in (["authorities", "import"], ["legal", "import"], ["demo", "load"]):
        result = runner.invoke(args=command)
        if result.exit_code != 0:
            sys.exit(f"flask {' '.join(command)} failed:\n{result.output}")
    return app


def _pages(app) -> dict[str, tuple[str | None, str]]:
    """Return each screenshot's name, with whom to sign in as (None: signed out) and the page's path."""
    with app.app_context():
        shown = db.session.scalar(sa.select(AgreementVersion).where(AgreementVersion.title == AGREEMENT).limit(1)).agreement
        draft = db.session.scalar(sa.select(AgreementVersion).where(AgreementVersion.title == DRAFT, AgreementVersion.state == "draft"))
        party = next(p for p in draft.parties if p.authority.code == CHARITY)
        return {
            "dashboard": ("approver@leeds.example.org", "/dashboard"),
            "agreement": ("approver@leeds.example.org", f"/agreements/{shown.reference}"),
            "party-form": ("contributor@calderdale.example.org", f"/agreements/{draft.agreement.reference}/draft/parties/{party.id}"),
            "register": (None, "/register"),
        }


@contextmanager
def _served(app):
    """Serve the app on a free port on 127.0.0.1 until the block ends; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def _sign_in(page, email: str) -> None:
    """Sign in through the real form, with the demo's password."""
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard")


def take(browser, base: str, pages: dict) -> list[Path]:
    """Screenshot every page at every width, each whole page from top to bottom; return the files written."""
    written = []
    for name, (email, path) in pages.items():
        for width in WIDTHS:
            context = browser.new_context(base_url=base, viewport={"width": width, "height": 800})
            page = context.new_page()
            if email:
                _sign_in(page, email)
            page.goto(path)
            target = OUT / f"{name}-{width}.png"
            page.screenshot(path=str(target), full_page=True)
            written.append(target)
            context.close()
    return written


def main() -> None:
    """Load the demo, serve it, and write every screenshot."""
    executable = chromium_executable()
    if executable is None:
        sys.exit(f"Screenshots need a browser. {NO_CHROMIUM}")
    OUT.mkdir(parents=True, exist_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request would bury the list of files
    with tempfile.TemporaryDirectory(prefix="registry-screenshots-") as folder:
        app = _demo_app(Path(folder))
        pages = _pages(app)
        with _served(app) as base, sync_playwright() as playwright:
            app.config["SERVICE_URL"] = base
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
            try:
                written = take(browser, base, pages)
            finally:
                browser.close()
    for path in written:
        print(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)


if __name__ == "__main__":
    main()
