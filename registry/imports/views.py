"""The import wizard: upload a register, say which column is which, check every row, then import."""

from flask import Blueprint, Response, redirect, render_template, request, session, url_for

from registry.auth.decorators import current_actor, signed_in
from registry.core.errors import PermissionDenied, ValidationFailed
from registry.core.form_views import redirect_with_banner
from registry.core.forms import FormState
from registry.core.input_guard import accepts_uploads
from registry.core.unit_of_work import unit_of_work
from registry.legal.queries import all_legal_bases

from . import held_files, policies, services
from .matching import FIELDS, REQUIRED
from .reading import MAX_BYTES, Upload
from .template_file import template_workbook

bp = Blueprint("imports", __name__, url_prefix="/agreements/import")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = {"draft": "Drafts to complete", "in_force": "Records of agreements in force"}
KIND_HINTS = {
    "draft": "Each becomes a draft that its parties complete, submit and approve in the registry.",
    "in_force": "Agreements already signed outside the registry: each is recorded as in force, marked as imported, "
                "with no approval by anyone in the registry. Only approvers of the lead organisation can do this.",
}
# The wizard's state between steps; the file itself is held in the instance folder (held_files).
STATE = "agreement_import"


def _may_import() -> None:
    if not policies.can_start_import(current_actor()):
        raise PermissionDenied("Only contributors and approvers can import agreements.")


class _NothingUploaded(Exception):
    """A later step of the wizard was asked for before a file was uploaded (or after it was imported)."""


@bp.errorhandler(_NothingUploaded)
def _back_to_upload(_error):
    return redirect(url_for("imports.upload"))


def _state() -> dict:
    """Return what the wizard holds of the upload, for a later step that the person may take."""
    _may_import()
    state = session.get(STATE)
    if not state:
        raise _NothingUploaded()
    return state


def _upload(state: dict) -> Upload:
    return held_files.held(state["sha256"], state["file_name"])


@bp.get("")
@signed_in
def upload():
    """Ask for the register to import, and whether its agreements are drafts or in force."""
    _may_import()
    return _upload_page(FormState({"kind": "draft"}, {}, ["file", "kind"]))


def _upload_page(form: FormState, status: int = 200):
    return render_template("imports/upload.html", form=form, kinds=KINDS, kind_hints=KIND_HINTS), status


@bp.post("")
@signed_in
@accepts_uploads(MAX_BYTES + 1024 * 1024)
def receive():
    """Take the uploaded register, refusing a bad file at once, and go on to its columns."""
    _may_import()
    kind = request.form.get("kind", "")
    form = FormState({"kind": kind}, {}, ["file", "kind"])
    errors = {}
    if kind not in KINDS:
        errors["kind"] = "Choose whether the agreements are drafts or in force"
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        errors["file"] = "Choose the register to upload"
    if errors:
        return _upload_page(FormState(form.values, errors, form.order), 422)
    upload_ = Upload(sent.filename, sent.read())
    try:
        headers, mapping = services.suggest_mapping(upload_)
    except ValidationFailed as failure:
        return _upload_page(form.with_failure(failure), 422)
    held_files.keep(upload_)
    session[STATE] = {"sha256": upload_.sha256, "file_name": upload_.file_name, "in_force": kind == "in_force",
                      "mapping": mapping, "names": {}}
    return redirect(url_for("imports.columns"))


@bp.get("/columns")
@signed_in
def columns():
    """Show which column each field will be read from, for the person to change."""
    state = _state()
    headers, _ = services.suggest_mapping(_upload(state))
    values = {name: str(index) for name, index in state["mapping"].items()}
    return _columns_page(state, headers, FormState(values, {}, list(FIELDS)))


def _columns_page(state, headers, form: FormState, status: int = 200):
    return render_template("imports/columns.html", form=form, fields=FIELDS, required=REQUIRED, headers=headers,
                           file_name=state["file_name"]), status


@bp.post("/columns")
@signed_in
def choose_columns():
    """Keep the columns chosen, then check the rows."""
    state = _state()
    headers, _ = services.suggest_mapping(_upload(state))
    chosen = {name: request.form.get(name, "") for name in FIELDS}
    mapping = {name: int(value) for name, value in chosen.items() if value.isdigit() and int(value) < len(headers)}
    errors = {name: f"Choose the column that holds each agreement's {FIELDS[name][0].lower()}"
              for name in REQUIRED if name not in mapping}
    if errors:
        return _columns_page(state, headers, FormState(chosen, errors, list(FIELDS)), 422)
    session[STATE] = {**state, "mapping": mapping}
    return redirect(url_for("imports.check"))


def _plan(state: dict) -> services.Plan:
    return services.check_import(current_actor(), _upload(state), mapping=state["mapping"], in_force=state["in_force"],
                                 names=state["names"])


@bp.get("/check")
@signed_in
def check():
    """Show, row by row, what importing will create and every problem with its row and column."""
    state = _state()
    try:
        plan = _plan(state)
    except ValidationFailed:
        return redirect(url_for("imports.columns"))  # the columns chosen are not enough to read the rows
    return _check_page(state, plan, FormState({}, {}, []))


def _check_page(state, plan, form: FormState, status: int = 200):
    return render_template("imports/check.html", plan=plan, form=form, in_force=state["in_force"],
                           chosen_names=state["names"]), status


@bp.post("/check")
@signed_in
def run():
    """Check again with the authorities chosen for unsure names, or import: all the rows, or only those without a problem."""
    state = _state()
    names = dict(state["names"])
    for key, name in request.form.items():
        if key.startswith("name-"):
            names[name] = request.form.get("authority-" + key[5:], "")
    state = {**state, "names": {name: code for name, code in names.items() if code}}
    session[STATE] = state
    if request.form.get("action") != "import":
        return redirect(url_for("imports.check"))
    only_valid = request.form.get("only_valid") == "true"
    try:
        with unit_of_work():
            plan = services.import_agreements(current_actor(), _upload(state), mapping=state["mapping"],
                                              in_force=state["in_force"], names=state["names"], only_valid=only_valid)
    except ValidationFailed as failure:
        message = {"rows": failure.message + " Fix the file and upload it again, or import only the rows with no problem."}
        return _check_page(state, _plan(state), FormState({}, message, ["rows"], {"rows": "only_valid"}), 422)
    held_files.drop(state["sha256"])
    session.pop(STATE, None)
    made, already = len(plan.created), len(plan.rows_already_imported)
    kind = "records in force" if state["in_force"] else "drafts"
    message = f"{made} agreement{'s' if made != 1 else ''} imported from {plan.file_name} as {kind}"
    if already:
        message += f"; {already} row{'s were' if already != 1 else ' was'} imported before and left as they are"
    skipped = len(plan.rows) - made - already
    if skipped:
        message += f"; {skipped} row{'s' if skipped != 1 else ''} with problems left out"
    return redirect_with_banner(url_for("agreements.index"), message + ".")


@bp.get("/template.xlsx")
@signed_in
def template():
    """Download the register template: its columns, instructions and drop-down lists."""
    data = template_workbook([basis.citation for basis in all_legal_bases()])
    return Response(data, mimetype=XLSX, headers={"Content-Disposition": 'attachment; filename="agreements-register-template.xlsx"'})
