"""The walk over the demo: every page a demo person reaches by following links, each kind of page a few times.

Each demo person signs in and follows every link from the pages they reach, breadth first.
Pages of the same kind (one agreement, one authority, …) are many; each kind is visited a
few times, which covers every page the navigation leads to without reading 470 councils.
The server-error test walks it with the test client; the browser tests load the HTML pages
it found.
"""

import fcntl
import pickle
import re
from collections import Counter, deque
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from registry.demo.data import DEMO_PASSWORD, DEMO_USERS
from registry.extensions import db
from registry.users.models import User
from tests.conftest import sign_in
from tests.shared_data import shared_data

SAMPLES_PER_KIND = 3
LINK = re.compile(r'href="(/[^"#]*)"')
# Signing out ends the walk; static files are not pages; exports are checked elsewhere and are slow.
SKIP = ("/sign-out", "/static/", "/audit/export")
# Every demo person, then someone signed out (None).
WALKERS = [user.email for user in DEMO_USERS] + [None]


@dataclass(frozen=True)
class Visit:
    url: str
    status: int
    mimetype: str
    html: str = ""  # the page's text, for an HTML page
    kind: tuple = ()  # its route and the query keys it sets

    @property
    def is_page(self) -> bool:
        """Say whether a person would see this as a page (HTML that loaded), not a download or an error."""
        return self.mimetype == "text/html" and self.status == 200


def walker_id(email: str | None) -> str:
    """Name a walker in a test's id."""
    return email or "signed-out"


# Each walker as a test parameter, named by walker_id. (Not grouped onto one worker with
# --dist loadgroup: it schedules by test id, and the API's schemathesis tests share one id, so
# it ran one of their 52 operations and dropped the rest without a word.)
WALKER_PARAMS = [pytest.param(email, id=walker_id(email)) for email in WALKERS]
_walks: dict[str | None, list] = {}


def walk_as(app, email: str | None) -> list["Visit"]:
    """Return the walk as this demo person (None: signed out), made once in the whole test run.

    Every test that walks loads the same demo (load_demo), so the pages reached are the same
    in every test process; the tests read the visits, none changes anything. The first process
    to ask walks, under a lock, and keeps the visits in a file of this run that the others read
    (each walk is a few seconds of rendering, and the crawl tests of one person are spread over
    the processes).
    """
    if email not in _walks:
        folder = Path(app.config["TEST_RUN_FOLDER"]) / "demo-walks"
        folder.mkdir(exist_ok=True)
        kept = folder / f"{walker_id(email)}.pickle"
        with open(folder / f"{walker_id(email)}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            if kept.exists():
                _walks[email] = pickle.loads(kept.read_bytes())
            else:
                _walks[email] = _walk_signed_in_as(app, email)
                kept.write_bytes(pickle.dumps(_walks[email]))
    return _walks[email]


def _walk_signed_in_as(app, email: str | None) -> list["Visit"]:
    client = app.test_client()
    if email:
        sign_in(client, db.session.scalar(sa.select(User).where(User.email == email)), DEMO_PASSWORD)
    return walk(app, client)


@shared_data
def load_demo():
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
    except Exception:  # a link to nowhere is found by its 404, not here
        endpoint = parts.path
    keys = tuple(sorted(re.findall(r"(?:^|&)([^=&]+)=", parts.query)))
    return endpoint, keys


def walk(app, client) -> list[Visit]:
    """Follow links from / with the client, breadth first; return each URL fetched, in order, with its answer."""
    seen, visits, kinds = set(), [], Counter()
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
        html = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        visits.append(Visit(url, response.status_code, response.mimetype, html, kind))
        queue.extend(link.replace("&amp;", "&") for link in LINK.findall(html))
    return visits
