"""On the demo `make run` loads, no page that any demo account can reach by following links is a server error.

Each demo person signs in and follows every link from the pages they reach, breadth first.
Pages of the same kind (one agreement, one authority, …) are many; each kind is visited a
few times, which covers every page the navigation leads to without reading 470 councils.
"""

import re
from collections import Counter, deque
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from werkzeug.test import TestResponse

from registry.demo.data import DEMO_PASSWORD, DEMO_USERS
from registry.extensions import db
from registry.users.models import User
from tests.conftest import sign_in
from tests.shared_data import shared_data

SAMPLES_PER_KIND = 3
LINK = re.compile(r'href="(/[^"#]*)"')
# Signing out ends the walk; static files are not pages; exports are checked elsewhere and are slow.
SKIP = ("/sign-out", "/static/", "/audit/export")


@pytest.fixture
def demo(app):
    _load_demo()


@shared_data
def _load_demo():
    """Load the reference data and the demo, as make run does."""
    from flask import current_app

    runner = current_app.test_cli_runner()
    for command in (["authorities", "import"], ["legal", "import"], ["demo", "load"]):
        result = runner.invoke(args=command)
        assert result.exit_code == 0, result.output


def _kind(app, url: str) -> tuple:
    """Return what kind of page a link is: its route and which query keys it sets."""
    parts = urlsplit(url)
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(parts.path, method="GET")
    except Exception:  # a link to nowhere is found by its 404 below, not here
        endpoint = parts.path
    keys = tuple(sorted(re.findall(r"(?:^|&)([^=&]+)=", parts.query)))
    return endpoint, keys


def walk(app, client) -> Iterator[tuple[str, TestResponse]]:
    """Yield each page the client reaches by following links from /, breadth first, with its response."""
    seen, kinds = set(), Counter()
    queue = deque(["/"])
    while queue:
        url = queue.popleft()
        if url in seen or any(url.startswith(skip) for skip in SKIP):
            continue
        kind = _kind(app, url)
        if kinds[kind] >= SAMPLES_PER_KIND:
            continue
        kinds[kind] += 1
        seen.add(url)
        response = client.get(url)
        yield url, response
        if response.mimetype == "text/html":
            queue.extend(link.replace("&amp;", "&") for link in LINK.findall(response.get_data(as_text=True)))


def _walk(app, client) -> tuple[set[str], list[tuple[str, int]]]:
    seen, errors = set(), []
    for url, response in walk(app, client):
        seen.add(url)
        if response.status_code >= 500 or response.status_code == 404:
            errors.append((url, response.status_code))
    return seen, errors


@pytest.mark.parametrize("email", [user.email for user in DEMO_USERS] + [None], ids=lambda e: e or "signed-out")
def test_no_page_a_demo_account_can_reach_is_an_error(app, demo, email):
    client = app.test_client()
    if email:
        sign_in(client, db.session.scalar(sa.select(User).where(User.email == email)), DEMO_PASSWORD)
    seen, errors = _walk(app, client)
    assert len(seen) > (20 if email else 5), f"the walk reached only {sorted(seen)}"
    if email == "auditor@registry.example.org":
        assert "/audit" in seen  # the page that was a 500 on a fresh demo
    assert errors == []
