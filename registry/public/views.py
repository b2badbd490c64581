"""HTML pages and downloads of the public register, open to everyone without signing in."""

import csv
import io
import json
import tempfile
from collections.abc import Callable
from typing import TextIO

from flask import Blueprint, Response, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import Schema, validate
from werkzeug.wsgi import wrap_file

from registry.core.authz import public
from registry.core.search_fields import search_text
from registry.core.text import SingleLine
from registry.core.clock import today
from registry.core.forms import load_query
from registry.core.pagination import page_number, paginate

from . import published, queries
from .published import CATEGORIES, IN_FORCE, PUBLISHED_FIELDS, STATUS_LABELS

bp = Blueprint("public", __name__, url_prefix="/register")
# The front door, /, belongs to the public: the register's home for everyone not signed in.
front_door_bp = Blueprint("front_door", __name__)

PER_PAGE = 20
CHANGES_PER_PAGE = 50
# What everyone sees is the same, so shared caches may keep it a while; a signed-in
# person's page carries their navigation and sign-out form, so it is never shared.
PUBLIC_CACHE = "public, max-age=300"
# A download is written to memory up to this size, then to a temporary file.
IN_MEMORY_UP_TO = 4 * 1024 * 1024


class RegisterQuerySchema(Schema):
    """The search and filters of the public register."""

    q = search_text()
    party = SingleLine(
        load_default=None, validate=validate.Regexp(r"^[A-Za-z0-9-]{1,20}$", error="Select a party from the list")
    )
    legal_basis = SingleLine(
        load_default=None,
        validate=validate.Regexp(r"^[A-Za-z0-9-]{1,40}$", error="Select a legal basis or gateway from the list"),
    )
    category = SingleLine(
        load_default=None, validate=validate.OneOf(list(CATEGORIES), error="Select a category of data from the list")
    )
    status = SingleLine(load_default=None, validate=validate.OneOf(list(IN_FORCE), error="Select a status from the list"))


class ChangesQuerySchema(Schema):
    """The change log's filter: one agreement's reference."""

    reference = SingleLine(
        load_default=None,
        validate=validate.Regexp(r"^[Dd][Ss][Aa]-[0-9]{4}-[0-9]{1,10}$", error="Enter a reference like DSA-2026-0042"),
    )


def _shared(body, status: int = 200, headers: dict | None = None) -> Response:
    """Return the response, cacheable by anyone when it is a success and nobody is signed in."""
    response = make_response(body, status, headers or {})
    if status == 200 and not current_user.is_authenticated:
        response.headers["Cache-Control"] = PUBLIC_CACHE
    response.vary.add("Cookie")
    return response


def _asked_for_page(statement, per_page: int, options: tuple):
    """Return the page of the statement's rows that the query string asks for, counted up to the register's limit."""
    number = page_number(request.args.get("page"))
    return paginate(statement, number, per_page=per_page, options=options, count_limit=queries.COUNT_LIMIT)


@front_door_bp.get("/")
@public
def home():
    """Send signed-in people to their dashboard; show everyone else what the registry is and a search of the register."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.show"))
    body = render_template(
        "public/home.html",
        in_force=queries.count_in_register(),
        parties=queries.parties_in_register(),
    )
    return _shared(body)


@bp.get("")
@public
def index():
    """List the agreements in force, with search and filters."""
    values, form = load_query(RegisterQuerySchema())
    page = _asked_for_page(queries.register_search(queries.RegisterFilters(**values)), PER_PAGE, queries.summary_options())
    body = render_template(
        "public/index.html",
        page=page,
        records=queries.summaries(page.items),
        form=form,
        pagination=page.govuk_links(".index", form.valid_values()),
        parties=queries.parties_in_register(),
        legal_bases=queries.legal_bases_in_register(),
        categories=CATEGORIES,
        statuses=STATUS_LABELS,
        lines=published.page_items,
    )
    return _shared(body, form.http_status)


@bp.get("/changes")
@public
def changes():
    """List what changed in the register and when, newest first, for every agreement or one."""
    values, form = load_query(ChangesQuerySchema())
    page = _asked_for_page(queries.change_log(values["reference"]), CHANGES_PER_PAGE, queries.change_log_options())
    body = render_template(
        "public/changes.html",
        page=page,
        entries=queries.changes(page.items),
        form=form,
        reference=values["reference"],
        pagination=page.govuk_links(".changes", form.valid_values()),
    )
    return _shared(body, form.http_status)


def _download(
    write: Callable[[TextIO], None], mimetype: str, extension: str, name: str = "data-sharing-register"
) -> Response:
    """Return a download of the whole register, written in batches to a file that spills to disk when large."""
    spool = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_UP_TO)
    text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
    try:
        write(text)
        text.detach()  # flushes, and leaves the file open to be sent
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    headers = {"Content-Disposition": f'attachment; filename="{name}-{today().isoformat()}.{extension}"'}
    response = Response(wrap_file(request.environ, spool), mimetype=mimetype, direct_passthrough=True)
    return _shared(response, headers=headers)


@bp.get("/download.csv")
@public
def download_csv():
    """Download the whole register as CSV: a header of the published fields, then one row per agreement."""

    def write(file: TextIO) -> None:
        writer = csv.writer(file)
        writer.writerow(published.FIELD_NAMES)
        for batch in queries.whole_register():
            writer.writerows(published.csv_row(record) for record in batch)

    return _download(write, "text/csv", "csv")


@bp.get("/download.json")
@public
def download_json():
    """Download the whole register as JSON: when it was published, the published fields, and the agreements."""

    def write(file: TextIO) -> None:
        head = json.dumps({"published": today().isoformat(), "fields": list(published.FIELD_NAMES)}, ensure_ascii=False)
        file.write(head[:-1] + ', "agreements": [')
        separator = ""
        for batch in queries.whole_register():
            for record in batch:
                file.write(separator + json.dumps(record, ensure_ascii=False))
                separator = ", "
        file.write("]}")

    return _download(write, "application/json", "json")


@bp.get("/changes.json")
@public
def changes_json():
    """Download the whole change log as JSON: when it was published, then every change, newest first."""

    def write(file: TextIO) -> None:
        file.write(json.dumps({"published": today().isoformat()})[:-1] + ', "changes": [')
        separator = ""
        for batch in queries.whole_change_log():
            for entry in batch:
                file.write(separator + json.dumps({**entry, "date": entry["date"].isoformat()}, ensure_ascii=False))
                separator = ", "
        file.write("]}")

    return _download(write, "application/json", "json", name="data-sharing-register-changes")


@bp.get("/<string:reference>")
@public
def show(reference: str):
    """Show an agreement in the register: its published summary and what changed when."""
    record = queries.published_agreement(reference)
    recent = paginate(
        queries.change_log(record["reference"]), 1, per_page=10, options=queries.change_log_options()
    )
    body = render_template(
        "public/show.html",
        record=record,
        fields=PUBLISHED_FIELDS,
        lines=published.page_items(record),
        recent=queries.changes(recent.items),
        more_changes=recent.total > len(recent.items),
    )
    return _shared(body)
