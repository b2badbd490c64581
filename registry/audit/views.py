"""The audit log over HTTP: C2SP checkpoint, tiles and keys; entries and receipts; auditors' pages."""

import base64
import shutil
import tempfile
from pathlib import Path

from flask import Blueprint, Response, render_template, request, send_file, url_for

from registry.auth.decorators import signed_in_or_token, system_role_required
from registry.core.authz import public
from registry.core.errors import NotFound
from registry.core.forms import load_query
from registry.core.pagination import paginate
from registry.authorities.queries import names_by_code
from registry.users.queries import user_by_email
from registry.users.roles import SystemRole

from registry.auditlog import cosigning, export, keys, queries
from .presenters import entry_views
from .schemas import EntryFilterSchema
from registry.auditlog.verifier import VerificationError, parse_checkpoint, parse_note, parse_tile_path

bp = Blueprint("audit", __name__, url_prefix="/audit")
data_bp = Blueprint("audit_data", __name__, url_prefix="/audit")

# Routes for programs: errors come back as JSON, not as pages.
MACHINE_READABLE_PATHS = ("/audit/checkpoint", "/audit/policy", "/audit/keys", "/audit/tile/", "/audit/entries/")

IMMUTABLE = "public, max-age=31536000, immutable"


def _text(body: str, cache: str = "no-cache") -> Response:
    return Response(body, mimetype="text/plain", headers={"Cache-Control": cache})


def _tile_response(data: bytes, partial: bool) -> Response:
    # A full tile never changes; a partial one is replaced by a wider one as the log grows.
    return Response(data, mimetype="application/octet-stream", headers={"Cache-Control": "no-cache" if partial else IMMUTABLE})


def _tile(path: str):
    try:
        return parse_tile_path(path)
    except VerificationError:
        raise NotFound("That is not a tile path.") from None


@data_bp.get("/checkpoint")
@public
def checkpoint():
    """Serve the latest checkpoint that meets the witness quorum, with its cosignatures (C2SP tlog-checkpoint)."""
    return _text(cosigning.served_checkpoint())


@data_bp.get("/policy")
@public
def policy():
    """Serve the log's witness policy (C2SP tlog-policy): its log keys, the witnesses with their URLs, the quorum."""
    return _text(cosigning.policy_text())


@data_bp.get("/keys")
@public
def verifier_keys():
    """Serve the verifier keys, one per line, the current log key first."""
    return _text("".join(f"{key.verifier_key}\n" for key in keys.published_keys()))


@data_bp.get("/tile/<path:tile>")
@public
def hash_tile(tile: str):
    """Serve a hash tile (C2SP tlog-tiles); they reveal nothing but hashes."""
    parsed = _tile("tile/" + tile)
    if parsed.level is None:
        raise NotFound("Entry bundles are served at /audit/tile/entries/.")
    return _tile_response(queries.hash_tile(parsed), parsed.is_partial)


@data_bp.get("/tile/entries/<path:tile>")
@signed_in_or_token(SystemRole.AUDITOR)
def entry_tile(tile: str):
    """Serve an entry bundle to auditors: entries say who did what."""
    parsed = _tile("tile/entries/" + tile)
    return _tile_response(queries.entry_bundle(parsed), parsed.is_partial)


@data_bp.get("/entries/<int:index>")
@signed_in_or_token(SystemRole.AUDITOR)
def entry_json(index: int):
    """Serve one entry to auditors: its exact bytes, as text, with its signature."""
    entry = queries.entry_by_index(index)
    return {
        "index": entry.index,
        "entry": entry.entry.decode("utf-8"),
        "key_id": entry.key_id,
        "signature": base64.b64encode(entry.signature).decode(),
        "receipt": url_for("audit_data.receipt", index=index),
    }


@data_bp.get("/entries/<int:index>/receipt")
@signed_in_or_token()
def receipt(index: int):
    """Serve an entry's C2SP tlog-proof receipt against the latest cosigned checkpoint that holds it."""
    return Response(
        cosigning.receipt(index),
        mimetype="text/plain",
        headers={"Content-Disposition": f'attachment; filename="receipt-{index}.tlog-proof"', "Cache-Control": "no-store"},
    )


def _entry_filters(form_values: dict) -> queries.EntryFilters:
    values = dict(form_values)
    values.pop("page", None)
    email = values.pop("actor", None)
    actor_id = None
    if email:
        person = user_by_email(email)
        actor_id = person.id if person else -1  # no such person, so no entries
    return queries.EntryFilters(actor=actor_id, **values)


@bp.get("")
@system_role_required(SystemRole.AUDITOR)
def index():
    """Show the log, newest first, filtered by authority, actor, action, object and date; and its witnesses."""
    data, form = load_query(EntryFilterSchema(), dates=("since", "until"))
    page = paginate(queries.entry_search(_entry_filters(data)), data.get("page", 1), per_page=50)
    current = queries.current_checkpoint()
    return render_template(
        "audit/index.html",
        form=form,
        page=page,
        entries=entry_views(page.items),
        pagination=page.govuk_links(".index", request.args),
        checkpoint_text=current,
        checkpoint=parse_checkpoint(parse_note(current).text),
        keys=keys.published_keys(),
        witnessing=cosigning.witnessing(),
        actions=queries.actions_in_use(),
        object_types=queries.object_types_in_use(),
        authorities=_authorities_in_the_log(),
    ), form.http_status


def _authorities_in_the_log() -> list[tuple[str, str]]:
    """Return (code, name) for each authority the log speaks of, by name: the filter offers names, and sends the code."""
    codes = queries.authority_codes_in_use()
    names = names_by_code(codes)
    return sorted(((code, names.get(code, code)) for code in codes), key=lambda choice: choice[1].casefold())


@bp.get("/log/<int:index>")
@system_role_required(SystemRole.AUDITOR)
def show(index: int):
    """Show one entry: who did what, what changed, and how to check it."""
    (entry,) = entry_views([queries.entry_by_index(index)])
    return render_template("audit/show.html", entry=entry)


@bp.get("/export")
@system_role_required(SystemRole.AUDITOR)
def download():
    """Download the whole log as a bundle to verify offline."""
    work = Path(tempfile.mkdtemp(prefix="audit-export-"))
    archive = export.export_archive(work)
    response = send_file(archive, mimetype="application/gzip", as_attachment=True, download_name=archive.name)
    response.call_on_close(lambda: shutil.rmtree(work, ignore_errors=True))
    response.headers["Cache-Control"] = "no-store"
    return response


