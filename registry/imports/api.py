"""JSON API for importing a register: upload it, and have it checked (dry run) or imported."""

from registry.auth.bearer import api_actor, token_required
from registry.core.api_blueprint import Blueprint
from registry.core.input_guard import accepts_uploads
from registry.core.unit_of_work import unit_of_work

from . import services
from .reading import MAX_BYTES, Upload
from .schemas import ImportFileSchema, ImportOptionsSchema, PlanSchema

blp = Blueprint(
    "imports_api",
    __name__,
    url_prefix="/api/v1/agreement-imports",
    description="Bringing agreements in from a spreadsheet register (CSV, XLSX or ODS).",
)


@blp.route("", methods=["POST"])
@token_required(blp)
@blp.arguments(ImportFileSchema, location="files")
@blp.arguments(ImportOptionsSchema, location="form")
@blp.response(200, PlanSchema)
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
@accepts_uploads(MAX_BYTES + 1024 * 1024)
def import_register(files, options):
    """Check every row of the register and, unless a dry run, import it in one transaction.

    Nothing is imported while any row has a problem, unless only_valid; each problem is
    given with its row and column. Rows imported before from the same file are left as they are.
    """
    upload = Upload(files["file"].filename or "upload", files["file"].read())
    choices = {"mapping": options["mapping"], "in_force": options["in_force"], "names": options["names"]}
    if options["dry_run"]:
        plan = services.check_import(api_actor(), upload, **choices)
    else:
        with unit_of_work(keep_loaded=True):
            plan = services.import_agreements(api_actor(), upload, only_valid=options["only_valid"], **choices)
    return plan
