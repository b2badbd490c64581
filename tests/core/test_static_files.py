"""Browsers keep the styles and scripts: pages link to them by URLs that name their content (core/static_files.py)."""

import hashlib
import json
import re
from pathlib import Path

import pytest

from registry.core import static_files

A_YEAR = "max-age=31536000"


def _linked(html: str) -> list[str]:
    """Return every static file URL a page links to, scripts and the import map's included."""
    in_attributes = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    import_map = json.loads(re.search(r'<script type="importmap"[^>]*>(.*?)</script>', html, re.S).group(1))
    return in_attributes + list(import_map["imports"].values())


def _digest_of(app, filename: str) -> str:
    return hashlib.sha256((Path(app.static_folder) / filename).read_bytes()).hexdigest()[:12]


def test_a_page_links_to_each_static_file_with_the_fingerprint_of_what_it_holds(app, client):
    urls = _linked(client.get("/sign-in").get_data(as_text=True))
    files = {re.match(r"/static/([^?]+)\?v=", url).group(1): url for url in urls}
    assert {"dist/registry.css", "js/init.mjs", "dist/govuk-frontend.min.js"} <= set(files)
    for filename, url in files.items():
        assert url == f"/static/{filename}?v={_digest_of(app, filename)}"


def test_a_fingerprinted_file_may_be_kept_for_a_year_and_is_served_whole(app, client):
    url = next(url for url in _linked(client.get("/sign-in").get_data(as_text=True)) if "registry.css" in url)
    response = client.get(url)
    assert response.status_code == 200
    assert response.data == (Path(app.static_folder) / "dist/registry.css").read_bytes()
    for directive in ("public", A_YEAR, "immutable"):
        assert directive in response.headers["Cache-Control"]


@pytest.mark.parametrize("query", ["", "?v=", "?v=000000000000"])
def test_without_the_current_fingerprint_the_browser_must_ask_again(client, query):
    response = client.get(f"/static/dist/registry.css{query}")
    assert response.status_code == 200
    assert "no-cache" in response.headers["Cache-Control"]
    assert A_YEAR not in response.headers["Cache-Control"]


def test_a_changed_file_gets_a_new_fingerprint_without_a_restart(app, client, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    (tmp_path / "dist").mkdir()
    styles = tmp_path / "dist" / "registry.css"
    styles.write_text("body { color: black }")
    before = re.search(r"registry\.css\?v=(\w+)", client.get("/sign-in").get_data(as_text=True)).group(1)
    styles.write_text("body { color: #0b0c0c }")

    after = re.search(r"registry\.css\?v=(\w+)", client.get("/sign-in").get_data(as_text=True)).group(1)

    assert after != before == hashlib.sha256(b"body { color: black }").hexdigest()[:12]
    assert "no-cache" in client.get(f"/static/dist/registry.css?v={before}").headers["Cache-Control"]
    assert A_YEAR in client.get(f"/static/dist/registry.css?v={after}").headers["Cache-Control"]


def test_no_file_outside_the_static_folder_is_read_for_a_fingerprint(app):
    assert (Path(app.static_folder).parent.parent / "config.py").exists()
    assert static_files.fingerprint("../../config.py") is None
    assert static_files.fingerprint("dist/registry.css") == _digest_of(app, "dist/registry.css")
