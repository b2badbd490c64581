"""Static files that browsers keep: each page links to a file by a URL that names its content.

Pages link to the styles and scripts through `static_url(filename)`, which adds a fingerprint
of the file as it is now (`?v=` and 12 hex digits of its SHA-256). A request carrying the
current fingerprint is answered with leave to keep the file for a year without asking again;
when a release changes a file, its pages link to the new fingerprint and browsers fetch it.
Any other request for a static file is answered as before (the browser asks each time whether
it changed, and gets "304 Not Modified" if not). Without this, every page cost three such
questions, each a round trip, on top of the page itself.
"""

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, request, url_for
from werkzeug.security import safe_join

A_YEAR = 365 * 24 * 60 * 60


def fingerprint(filename: str) -> str | None:
    """Return the fingerprint of a file in the static folder as it is now; None if there is no such file."""
    path = safe_join(current_app.static_folder, filename)
    if path is None:
        return None
    try:
        found = Path(path).stat()
    except OSError:
        return None
    # Keyed by when the file last changed, so that a file rebuilt under a running server gets a new one.
    return _digest(path, found.st_mtime_ns, found.st_size)


@lru_cache(maxsize=256)
def _digest(path: str, modified_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def static_url(filename: str) -> str:
    """Return the URL of a static file, with its fingerprint, for a page to link to."""
    return url_for("static", filename=filename, v=fingerprint(filename))


def _keep_fingerprinted_files(response):
    if request.endpoint != "static" or response.status_code not in (200, 304):
        return response
    asked = request.args.get("v")
    if asked and asked == fingerprint(request.view_args["filename"]):
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = A_YEAR
        response.cache_control.immutable = True
    return response


def init_app(app: Flask) -> None:
    """Give templates static_url, and let browsers keep what it links to."""
    app.add_template_global(static_url)
    app.after_request(_keep_fingerprinted_files)
